package io.tally.core;

import io.tally.core.internal.IntSort;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The full outer join of both trackers' totals on (date, officer), in report order: by date, then by
 * officer name in {@code String.compareTo} order. Each key comes out once, as a {@link KeyResult} with its
 * status; nothing per key is kept. Officers are ranked in name order on their bytes, in primitive arrays,
 * so a million officers cost a few bytes each here, not a map of strings.
 */
final class KeyJoin implements Iterator<KeyResult> {
    /** For tests: whether joins carry each key's slot in its packed key, or look it up. */
    static void carrySlots(boolean carry) {
        Packing.carrySlots = carry;
    }

    /** Up to this many officers, names are kept once made: at most about 15 MB. */
    private static final int NAMES_CACHED = 1 << 18;
    /** Per rank, in name order: a purchase officer id, or {@code ~id} of an inventory officer purchase lacks. */
    private final int[] members;

    private final OfficerDictionary purchaseOfficers;
    private final OfficerDictionary inventoryOfficers;
    /**
     * Names made so far, by rank, when officers are few enough (every real tracker): a key then costs no
     * decoding of its officer's name. Shared by the chunks and threads of one join; a race only makes one
     * name twice.
     */
    private final String[] names;

    private final Packing packing;
    private final Side purchase;
    private final Side inventory;
    private final StatusRule rule;
    private int a;
    private int b;
    /** One past the last key of each side this join gives: all of them, or a chunk's ({@link #chunks}). */
    private final int aEnd;

    private final int bEnd;
    private int lastRank = -1;
    /** Positions of the last key's sides in their sorted arrays, -1 for an absent side: see {@link #at}. */
    private int lastA = -1;

    private int lastB = -1;
    /** Each officer's rank, by its id in its side's dictionary, for {@link #rankOf}. */
    private final int[] purchaseRank;

    private final int[] inventoryRank;
    /** Keys pack (rank, day) rather than (day, rank): see {@link #byOfficer()}. */
    private final boolean byOfficer;

    public KeyJoin(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        if (purchase.layout().tracker() != Tracker.PURCHASE
                || inventory.layout().tracker() != Tracker.INVENTORY) {
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
        this.purchaseRank = pRank;
        this.inventoryRank = iRank;
        this.names = members.length <= NAMES_CACHED ? new String[members.length] : null;
        this.packing = Packing.of(purchase.table(), inventory.table(), members.length);
        this.purchase = new Side(purchase, pRank, members.length, packing);
        this.inventory = new Side(inventory, iRank, members.length, packing);
        this.rule = new StatusRule(tolerances, gizzardCompared(purchase, inventory));
        this.byOfficer = false;
        this.aEnd = this.purchase.sorted.length;
        this.bEnd = this.inventory.sorted.length;
    }

    /** {@code from}'s keys from positions {@code a} and {@code b} to {@code aEnd} and {@code bEnd}. */
    private KeyJoin(KeyJoin from, Side purchase, Side inventory, boolean byOfficer, int a, int aEnd, int b, int bEnd) {
        members = from.members;
        purchaseOfficers = from.purchaseOfficers;
        inventoryOfficers = from.inventoryOfficers;
        names = from.names;
        purchaseRank = from.purchaseRank;
        inventoryRank = from.inventoryRank;
        packing = from.packing;
        this.purchase = purchase;
        this.inventory = inventory;
        rule = from.rule;
        this.byOfficer = byOfficer;
        this.a = a;
        this.aEnd = aEnd;
        this.b = b;
        this.bEnd = bEnd;
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
        String name = names != null ? names[rank] : null;
        if (name == null) {
            int m = members[rank];
            name = dictionary(m).name(local(m));
            if (names != null) {
                names[rank] = name;
            }
        }
        return name;
    }

    /**
     * The same join from the start with the keys grouped by officer, in rank order (days in no set order within
     * an officer), for the per-officer roll-up. It copies the key arrays (8 bytes a key), so both joins can run
     * at once, on two threads; neither changes the totals they read.
     */
    public KeyJoin byOfficer() {
        Side p = purchase.byOfficer(packing);
        Side i = inventory.byOfficer(packing);
        return new KeyJoin(this, p, i, true, 0, p.sorted.length, 0, i.sorted.length);
    }

    /**
     * This join from the start, cut into consecutive runs of about {@code keys} keys of the larger side, in
     * report order. Each run is a join of its own over the same arrays, so runs can be read on several threads
     * and their output joined in order gives exactly this join's.
     */
    public List<KeyJoin> chunks(int keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be positive, not " + keys);
        }
        long[] larger = purchase.sorted.length >= inventory.sorted.length ? purchase.sorted : inventory.sorted;
        List<KeyJoin> chunks = new ArrayList<>();
        int a0 = 0;
        int b0 = 0;
        for (int cut = keys; cut < larger.length; cut += keys) {
            // The smallest packed value of this key on either side: its slot bits cleared.
            long boundary = larger[cut] >>> packing.slotBits() << packing.slotBits();
            int a1 = lowerBound(purchase.sorted, boundary);
            int b1 = lowerBound(inventory.sorted, boundary);
            chunks.add(new KeyJoin(this, purchase, inventory, byOfficer, a0, a1, b0, b1));
            a0 = a1;
            b0 = b1;
        }
        chunks.add(new KeyJoin(
                this, purchase, inventory, byOfficer, a0, purchase.sorted.length, b0, inventory.sorted.length));
        return chunks;
    }

    /** The first position in {@code sorted} (whose values are distinct) holding {@code key} or more. */
    private static int lowerBound(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        return i < 0 ? -i - 1 : i;
    }

    /**
     * Where the key {@link #next()} returned last is, for {@link #at}: its purchase position in the high 32 bits
     * and its inventory position in the low ones, each -1 when the side is absent. Only for joins in report order.
     */
    public long position() {
        return ((long) lastA << 32) | (lastB & 0xFFFF_FFFFL);
    }

    /** The one key at {@code position} (from {@link #position()}), as {@link #next()} gave it. */
    public KeyResult at(long position) {
        int pa = (int) (position >> 32);
        int pb = (int) position;
        KeyJoin one = new KeyJoin(
                this,
                purchase,
                inventory,
                false,
                pa < 0 ? 0 : pa,
                pa < 0 ? 0 : pa + 1,
                pb < 0 ? 0 : pb,
                pb < 0 ? 0 : pb + 1);
        return one.next();
    }

    /** The rank in report order of the officer whose title-cased name is {@code name}, or -1 if no key has it. */
    public int rankOf(String name) {
        int p = purchaseOfficers.find(name);
        if (p >= 0 && p < purchaseRank.length && rankHolds(purchaseRank[p], purchaseOfficers, p)) {
            return purchaseRank[p];
        }
        int i = inventoryOfficers.find(name);
        if (i >= 0 && i < inventoryRank.length && rankHolds(inventoryRank[i], inventoryOfficers, i)) {
            return inventoryRank[i];
        }
        return -1;
    }

    /** Whether {@code rank} is really that officer's: officers with no key were given no rank (0 by default). */
    private boolean rankHolds(int rank, OfficerDictionary dictionary, int id) {
        if (rank < 0 || rank >= members.length) {
            return false;
        }
        int m = members[rank];
        return dictionary(m) == dictionary ? local(m) == id : dictionary(m).find(dictionary, id) == local(m);
    }

    /** The position in report order of the officer of the key {@link #next()} returned last. */
    public int officerRank() {
        return lastRank;
    }

    @Override
    public boolean hasNext() {
        return a < aEnd || b < bEnd;
    }

    @Override
    public KeyResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int shift = packing.slotBits();
        long pk = a < aEnd ? purchase.sorted[a] >>> shift : Long.MAX_VALUE;
        long ik = b < bEnd ? inventory.sorted[b] >>> shift : Long.MAX_VALUE;
        long key = Math.min(pk, ik);
        int day;
        if (byOfficer) {
            lastRank = (int) (key >>> packing.dayBits());
            day = packing.minDay() + (int) (key & mask(packing.dayBits()));
        } else {
            lastRank = (int) (key & mask(packing.rankBits()));
            day = packing.minDay() + (int) (key >>> packing.rankBits());
        }
        KeyResult.Side p = KeyResult.Side.ABSENT;
        KeyResult.Side i = KeyResult.Side.ABSENT;
        lastA = -1;
        lastB = -1;
        if (pk == key) {
            p = purchase.side(a, day, lastRank, true, packing);
            lastA = a++;
        }
        if (ik == key) {
            i = inventory.side(b, day, lastRank, false, packing);
            lastB = b++;
        }
        return new KeyResult(day, officer(lastRank), p, i, rule.decide(p, i));
    }

    private static long mask(int bits) {
        return (1L << bits) - 1;
    }

    /**
     * How a key packs into one sortable {@code long}: the day (less the first day) and the officer's rank, in
     * report order or grouped by officer, above the key's slot in its table. Carrying the slot spares a hash
     * lookup per key and side; when the three do not fit 63 bits (some hundreds of millions of keys over
     * centuries of dates), the slot is left out and looked up.
     */
    private record Packing(int minDay, int dayBits, int rankBits, int slotBits) {
        /** False makes every join look its slots up, as a join too large to carry them does; for tests. */
        static volatile boolean carrySlots = true;

        static Packing of(KeyTable purchase, KeyTable inventory, int ranks) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (KeyTable t : new KeyTable[] {purchase, inventory}) {
                for (int s = 0; s < t.size(); s++) {
                    int day = KeyTable.epochDay(t.keyAt(s));
                    min = Math.min(min, day);
                    max = Math.max(max, day);
                }
            }
            if (min > max) {
                min = 0;
                max = 0;
            }
            int dayBits = bits(max - min + 1);
            int rankBits = bits(ranks);
            int slotBits = bits(Math.max(purchase.size(), inventory.size()));
            boolean fits = carrySlots && dayBits + rankBits + slotBits <= 63;
            return new Packing((int) min, dayBits, rankBits, fits ? slotBits : 0);
        }

        /** Bits that hold every value from 0 to {@code n - 1}. */
        private static int bits(long n) {
            return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
        }

        long reportOrder(int day, int rank, int slot) {
            long id = (((long) day - minDay) << rankBits) | rank;
            return slotBits == 0 ? id : (id << slotBits) | slot;
        }

        long officerOrder(long reportOrder) {
            long id = reportOrder >>> slotBits;
            long regrouped = ((id & mask(rankBits)) << dayBits) | (id >>> rankBits);
            return slotBits == 0 ? regrouped : (regrouped << slotBits) | (reportOrder & mask(slotBits));
        }
    }

    /** One side's keys sorted by (date, officer rank), with their slots. */
    private static final class Side {
        final KeyTable table;
        final long[] sorted;
        final int[] localByRank;

        Side(TrackerTotals totals, int[] rankOfLocal, int ranks, Packing packing) {
            table = totals.table();
            localByRank = new int[ranks];
            sorted = new long[table.size()];
            for (int s = 0; s < table.size(); s++) {
                long key = table.keyAt(s);
                int local = KeyTable.officer(key);
                localByRank[rankOfLocal[local]] = local;
                sorted[s] = packing.reportOrder(KeyTable.epochDay(key), rankOfLocal[local], s);
            }
            Arrays.sort(sorted);
        }

        private Side(KeyTable table, long[] sorted, int[] localByRank) {
            this.table = table;
            this.sorted = sorted;
            this.localByRank = localByRank;
        }

        /** The keys sorted by (rank, day) instead. */
        Side byOfficer(Packing packing) {
            long[] regrouped = new long[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                regrouped[i] = packing.officerOrder(sorted[i]);
            }
            Arrays.sort(regrouped);
            return new Side(table, regrouped, localByRank);
        }

        KeyResult.Side side(int index, int day, int rank, boolean withInvoices, Packing packing) {
            int slot = packing.slotBits() > 0
                    ? (int) (sorted[index] & mask(packing.slotBits()))
                    : table.find(KeyTable.key(day, localByRank[rank]));
            long invoices = withInvoices ? table.invoiceCount(slot) : 0;
            if (table.isWide(slot)) {
                return new KeyResult.Side(
                        true,
                        0,
                        0,
                        0,
                        invoices,
                        new KeyResult.Side.Exact(
                                table.exactBirds(slot), table.exactChicken(slot), table.exactGizzard(slot)));
            }
            return new KeyResult.Side(true, table.birds(slot), table.chicken(slot), table.gizzard(slot), invoices);
        }
    }
}
