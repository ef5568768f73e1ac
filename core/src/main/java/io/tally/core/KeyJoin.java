package io.tally.core;

import io.tally.core.internal.KeyTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The full outer join of both trackers' totals on (date, officer), in report order: by date, then by
 * officer name in {@code String.compareTo} order. Each key comes out once, as a {@link KeyResult} with its
 * status; nothing per key is kept.
 */
public final class KeyJoin implements Iterator<KeyResult> {
    private final String[] names;
    private final Side purchase;
    private final Side inventory;
    private final StatusRule rule;
    private int a;
    private int b;
    private int lastRank = -1;

    public KeyJoin(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        if (purchase.layout().tracker() != Tracker.PURCHASE || inventory.layout().tracker() != Tracker.INVENTORY) {
            throw new IllegalArgumentException("the join takes the purchase tracker, then the inventory tracker");
        }
        Map<String, Integer> rankByName = new HashMap<>();
        for (TrackerTotals side : List.of(purchase, inventory)) {
            KeyTable t = side.table();
            for (int s = 0; s < t.size(); s++) {
                rankByName.putIfAbsent(side.officers().name(KeyTable.officer(t.keyAt(s))), 0);
            }
        }
        names = rankByName.keySet().toArray(new String[0]);
        Arrays.sort(names);
        for (int r = 0; r < names.length; r++) {
            rankByName.put(names[r], r);
        }
        this.purchase = new Side(purchase, rankByName);
        this.inventory = new Side(inventory, rankByName);
        this.rule = new StatusRule(tolerances, gizzardCompared(purchase, inventory));
    }

    /** Whether both trackers have a gizzard column, so gizzard is compared. */
    public static boolean gizzardCompared(TrackerTotals purchase, TrackerTotals inventory) {
        return purchase.layout().has(Column.GIZZARD) && inventory.layout().has(Column.GIZZARD);
    }

    /** Every officer of either side, in report order. */
    public List<String> officers() {
        return List.of(names);
    }

    /** The position in {@link #officers()} of the officer of the key {@link #next()} returned last. */
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
        KeyResult.Side p = pk == key ? purchase.side(a++, true) : KeyResult.Side.ABSENT;
        KeyResult.Side i = ik == key ? inventory.side(b++, false) : KeyResult.Side.ABSENT;
        lastRank = (int) key;
        return new KeyResult(KeyTable.epochDay(key), names[lastRank], p, i, rule.decide(p, i));
    }

    /** One side's keys sorted by (date, officer rank), mapped back to their slots. */
    private static final class Side {
        final KeyTable table;
        final long[] sorted;
        final int[] localByRank;

        Side(TrackerTotals totals, Map<String, Integer> rankByName) {
            table = totals.table();
            localByRank = new int[rankByName.size()];
            for (int id = 0; id < totals.officers().size(); id++) {
                Integer rank = rankByName.get(totals.officers().name(id));
                if (rank != null) {
                    localByRank[rank] = id;
                }
            }
            sorted = new long[table.size()];
            for (int s = 0; s < table.size(); s++) {
                long key = table.keyAt(s);
                sorted[s] = KeyTable.key(KeyTable.epochDay(key),
                        rankByName.get(totals.officers().name(KeyTable.officer(key))));
            }
            Arrays.sort(sorted);
        }

        KeyResult.Side side(int index, boolean withInvoices) {
            long k = sorted[index];
            int slot = table.find(KeyTable.key(KeyTable.epochDay(k), localByRank[(int) k]));
            long invoices = withInvoices ? table.invoiceCount(slot) : 0;
            if (table.isWide(slot)) {
                return new KeyResult.Side(true, 0, 0, 0, invoices, new KeyResult.Side.Exact(table.exactBirds(slot),
                        table.exactChicken(slot), table.exactGizzard(slot)));
            }
            return new KeyResult.Side(true, table.birds(slot), table.chicken(slot), table.gizzard(slot), invoices);
        }
    }
}
