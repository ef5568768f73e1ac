package io.tally.core;

import io.tally.core.internal.IntSort;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The full outer join of both trackers' totals on (date, officer), in report order: by date, then by
 * officer name in {@code String.compareTo} order. Each key comes out once, as a {@link KeyResult} with its
 * status; nothing per key is kept. Officers are ranked in name order on their bytes, in primitive arrays,
 * so a million officers cost a few bytes each here, not a map of strings.
 */
public final class KeyJoin implements Iterator<KeyResult> {
    /** Per rank, in name order: a purchase officer id, or {@code ~id} of an inventory officer purchase lacks. */
    private final int[] members;
    private final OfficerDictionary purchaseOfficers;
    private final OfficerDictionary inventoryOfficers;
    private final Side purchase;
    private final Side inventory;
    private final StatusRule rule;
    private int a;
    private int b;
    private int lastRank = -1;
    /** Keys pack (rank, day) rather than (day, rank): see {@link #byOfficer()}. */
    private final boolean byOfficer;

    public KeyJoin(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        if (purchase.layout().tracker() != Tracker.PURCHASE || inventory.layout().tracker() != Tracker.INVENTORY) {
            throw new IllegalArgumentException("the join takes the purchase tracker, then the inventory tracker");
        }
        OfficerDictionary pd = purchaseOfficers = purchase.officers();
        OfficerDictionary id = inventoryOfficers = inventory.officers();
        boolean[] pUsed = used(purchase);
        boolean[] iUsed = used(inventory);
        int[] inPurchase = new int[id.size()];
        int count = 0;
        for (int o = 0; o < pd.size(); o++) {
            count += pUsed[o] ? 1 : 0;
        }
        for (int o = 0; o < id.size(); o++) {
            int p = pd.find(id, o);
            inPurchase[o] = p >= 0 && pUsed[p] ? p : -1;
            count += iUsed[o] && inPurchase[o] < 0 ? 1 : 0;
        }
        members = new int[count];
        int n = 0;
        for (int o = 0; o < pd.size(); o++) {
            if (pUsed[o]) {
                members[n++] = o;
            }
        }
        for (int o = 0; o < id.size(); o++) {
            if (iUsed[o] && inPurchase[o] < 0) {
                members[n++] = ~o;
            }
        }
        IntSort.sort(members, (x, y) -> OfficerDictionary.compare(dictionary(x), local(x), dictionary(y), local(y)));
        int[] pRank = new int[pd.size()];
        int[] iRank = new int[id.size()];
        for (int r = 0; r < members.length; r++) {
            if (members[r] >= 0) {
                pRank[members[r]] = r;
            } else {
                iRank[~members[r]] = r;
            }
        }
        for (int o = 0; o < id.size(); o++) {
            if (inPurchase[o] >= 0) {
                iRank[o] = pRank[inPurchase[o]];
            }
        }
        this.purchase = new Side(purchase, pRank, members.length);
        this.inventory = new Side(inventory, iRank, members.length);
        this.rule = new StatusRule(tolerances, gizzardCompared(purchase, inventory));
        this.byOfficer = false;
    }

    private KeyJoin(KeyJoin from) {
        members = from.members;
        purchaseOfficers = from.purchaseOfficers;
        inventoryOfficers = from.inventoryOfficers;
        purchase = from.purchase.byOfficer();
        inventory = from.inventory.byOfficer();
        rule = from.rule;
        byOfficer = true;
    }

    private OfficerDictionary dictionary(int member) {
        return member >= 0 ? purchaseOfficers : inventoryOfficers;
    }

    private static int local(int member) {
        return member >= 0 ? member : ~member;
    }

    /** Which of a side's officers have at least one key. */
    private static boolean[] used(TrackerTotals side) {
        boolean[] used = new boolean[side.officers().size()];
        KeyTable t = side.table();
        for (int s = 0; s < t.size(); s++) {
            used[KeyTable.officer(t.keyAt(s))] = true;
        }
        return used;
    }

    /** Whether both trackers have a gizzard column, so gizzard is compared. */
    public static boolean gizzardCompared(TrackerTotals purchase, TrackerTotals inventory) {
        return purchase.layout().has(Column.GIZZARD) && inventory.layout().has(Column.GIZZARD);
    }

    /** How many officers either side has, with at least one key. */
    public int officerCount() {
        return members.length;
    }

    /** The officer at {@code rank} in report order. */
    public String officer(int rank) {
        int m = members[rank];
        return dictionary(m).name(local(m));
    }

    /**
     * The same join from the start with the keys grouped by officer, in rank order (days in no set order within
     * an officer), for the per-officer roll-up. It copies the key arrays (8 bytes a key), so both joins can run
     * at once, on two threads; neither changes the totals they read.
     */
    public KeyJoin byOfficer() {
        return new KeyJoin(this);
    }

    /** The position in report order of the officer of the key {@link #next()} returned last. */
    public int officerRank() {
        return lastRank;
    }

    @Override
    public boolean hasNext() {
        return a < purchase.sorted.length || b < inventory.sorted.length;
    }

    @Override
    public KeyResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long pk = a < purchase.sorted.length ? purchase.sorted[a] : Long.MAX_VALUE;
        long ik = b < inventory.sorted.length ? inventory.sorted[b] : Long.MAX_VALUE;
        long key = Math.min(pk, ik);
        int day = byOfficer ? (int) key : KeyTable.epochDay(key);
        lastRank = byOfficer ? (int) (key >>> 32) : (int) key;
        KeyResult.Side p = KeyResult.Side.ABSENT;
        KeyResult.Side i = KeyResult.Side.ABSENT;
        if (pk == key) {
            p = purchase.side(day, lastRank, true);
            a++;
        }
        if (ik == key) {
            i = inventory.side(day, lastRank, false);
            b++;
        }
        return new KeyResult(day, officer(lastRank), p, i, rule.decide(p, i));
    }

    /** One side's keys sorted by (date, officer rank), mapped back to their slots. */
    private static final class Side {
        final KeyTable table;
        final long[] sorted;
        final int[] localByRank;

        Side(TrackerTotals totals, int[] rankOfLocal, int ranks) {
            table = totals.table();
            localByRank = new int[ranks];
            sorted = new long[table.size()];
            for (int s = 0; s < table.size(); s++) {
                long key = table.keyAt(s);
                int local = KeyTable.officer(key);
                localByRank[rankOfLocal[local]] = local;
                sorted[s] = KeyTable.key(KeyTable.epochDay(key), rankOfLocal[local]);
            }
            Arrays.sort(sorted);
        }

        private Side(KeyTable table, long[] sorted, int[] localByRank) {
            this.table = table;
            this.sorted = sorted;
            this.localByRank = localByRank;
        }

        /** The keys sorted by (rank, day) instead; the day goes in unsigned, as only grouping matters. */
        Side byOfficer() {
            long[] regrouped = new long[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                long k = sorted[i];
                regrouped[i] = ((k & 0xffffffffL) << 32) | (KeyTable.epochDay(k) & 0xffffffffL);
            }
            Arrays.sort(regrouped);
            return new Side(table, regrouped, localByRank);
        }

        KeyResult.Side side(int day, int rank, boolean withInvoices) {
            int slot = table.find(KeyTable.key(day, localByRank[rank]));
            long invoices = withInvoices ? table.invoiceCount(slot) : 0;
            if (table.isWide(slot)) {
                return new KeyResult.Side(true, 0, 0, 0, invoices, new KeyResult.Side.Exact(table.exactBirds(slot),
                        table.exactChicken(slot), table.exactGizzard(slot)));
            }
            return new KeyResult.Side(true, table.birds(slot), table.chicken(slot), table.gizzard(slot), invoices);
        }
    }
}
