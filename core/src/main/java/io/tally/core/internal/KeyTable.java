package io.tally.core.internal;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Per-(date, officer) totals in primitive arrays: an open-addressing index over dense columns, so memory
 * grows with the number of keys and a row costs no allocation. A key packs the epoch day into the high
 * 32 bits and the officer id into the low 32 bits.
 *
 * <p>Sums are exact however large they grow ({@link ExactSums}).
 *
 * <p>Distinct invoices are kept exactly, as their trimmed texts: per key an {@link InvoiceSets} set once
 * {@link #compact()} has run, with the texts of streaming rows pending beside it until then.
 */
public final class KeyTable {
    private int[] index;
    private int size;

    private long[] keys;
    private final ExactSums birds;
    private final ExactSums chicken;
    private final ExactSums gizzard;
    private byte[][] invoiceSets;
    private int[] invoiceCounts;
    /**
     * Per slot, for a table a reader fills: one past the byte offset of the first accepted row's record start (0 for
     * none), and the offset of the last one's; null until a row is recorded ({@link #rows}). Where the key's rows lie
     * in its tracker, so {@code invoices.csv}'s second pass reads only the flagged keys' stretches of the file.
     */
    private long[] firstRow;

    private long[] lastRow;
    /**
     * For a merged table: the row runs of the tables it absorbed, one a key and absorbed table (a range), as (slot,
     * first row's start, last row's start less the first's). A key whose rows lie in ranges far apart keeps one
     * short run in each, rather than one stretch over the whole file.
     */
    private int[] rowRunSlot;

    private long[] rowRunFirst;
    private int[] rowRunLength;
    private int rowRuns;
    /**
     * Row runs a table keeps at most, 16 bytes each: a thirty-second of the heap (about 566,000 runs, 9 MB, in the
     * launcher's 300 MB heap). Past them it forgets its rows, and a second pass reads every range whole: the memory
     * goes to the keys, which a run with as many keys as rows needs more.
     */
    static volatile int maxRuns = (int) Math.min(1 << 26, Runtime.getRuntime().maxMemory() / 512);
    /**
     * False once a row was counted whose offset is not here: a partial decoded from bytes was absorbed, or the runs
     * outgrew {@link #maxRuns}, or a run was longer than an {@code int}.
     */
    private boolean rowsKnown = true;
    /** Texts appended while rows stream in, folded into the sets by {@link #compact()}; null when none. */
    private byte[][] pending;

    private int[] pendingLength;

    /**
     * The run: the texts of the last key given an invoice, while they arrive in increasing order (as a tracker's
     * invoice numbers do), kept as an {@link InvoiceSets} set already, so the common case needs no sort and no
     * buffer per key. It goes to its key's set when another key's text or one out of order comes.
     */
    private int runSlot = -1;

    private byte[] run = new byte[256];
    private int runLength;
    private int runCount;
    /** The run's last text, spelled out. */
    private byte[] runLast = new byte[64];

    private int runLastLength;
    private byte[] spelled = new byte[64];
    private final InvoiceSets scratch = new InvoiceSets();
    /** Bytes held by the invoice sets, for {@code MemoryUse}. */
    private long invoiceBytes;
    /** Times a set was rebuilt from pending texts: grows with the log of a key's invoices, not with them. */
    int folds;

    private final int[] count = new int[1];
    /** Told how many bytes the invoice sets grew by at each fold, so memory use is seen while a range is read. */
    private final LongConsumer invoiceBytesGrown;
    /** False for a table that sums only and drops invoice texts ({@link #withoutInvoiceSets}). */
    private boolean keepsInvoices = true;

    public KeyTable() {
        this(1024);
    }

    public KeyTable(int expectedKeys) {
        this(expectedKeys, grown -> {});
    }

    /** A table that reports each growth of its invoice sets, in bytes, to {@code invoiceBytesGrown}. */
    public KeyTable(int expectedKeys, LongConsumer invoiceBytesGrown) {
        this.invoiceBytesGrown = invoiceBytesGrown;
        int cap = Integer.highestOneBit(Math.max(16, expectedKeys) * 2 - 1) * 2;
        index = new int[cap];
        keys = new long[cap / 2];
        birds = new ExactSums(cap / 2);
        chicken = new ExactSums(cap / 2);
        gizzard = new ExactSums(cap / 2);
        invoiceSets = new byte[cap / 2][];
        invoiceCounts = new int[cap / 2];
    }

    public static long key(int epochDay, int officerId) {
        return ((long) epochDay << 32) | (officerId & 0xffffffffL);
    }

    public static int epochDay(long key) {
        return (int) (key >> 32);
    }

    public static int officer(long key) {
        return (int) key;
    }

    public int size() {
        return size;
    }

    /** The dense slot of {@code key}, created with zero totals if new. */
    public int slot(long key) {
        int mask = index.length - 1;
        int i = (int) Bytes.keyedMix(key) & mask;
        while (true) {
            int s = index[i];
            if (s == 0) {
                break;
            }
            if (keys[s - 1] == key) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
        if (size == keys.length) {
            grow();
            return slot(key);
        }
        int s = size++;
        keys[s] = key;
        index[i] = s + 1;
        return s;
    }

    /** The slot of {@code key}, or -1. */
    public int find(long key) {
        int mask = index.length - 1;
        int i = (int) Bytes.keyedMix(key) & mask;
        while (true) {
            int s = index[i];
            if (s == 0) {
                return -1;
            }
            if (keys[s - 1] == key) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
    }

    public void add(int slot, long birdCount, long chickenMilli, long gizzardMilli) {
        birds.add(slot, birdCount);
        chicken.add(slot, chickenMilli);
        gizzard.add(slot, gizzardMilli);
    }

    /** Adds exact values (from a partial whose sums widened). */
    public void add(int slot, BigInteger birdCount, BigInteger chickenMilli, BigInteger gizzardMilli) {
        birds.add(slot, birdCount);
        chicken.add(slot, chickenMilli);
        gizzard.add(slot, gizzardMilli);
    }

    /**
     * A table whose {@link #addInvoice} keeps nothing: for a read that needs no distinct invoice counts
     * ({@code invoices.csv}'s second pass), so it does not build a range's invoice sets again.
     */
    public static KeyTable withoutInvoiceSets(int expectedKeys) {
        KeyTable t = new KeyTable(expectedKeys);
        t.keepsInvoices = false;
        return t;
    }

    /** Records the invoice text {@code a[s, e)} for a slot; duplicates are removed by {@link #compact()}. */
    public void addInvoice(int slot, byte[] a, int s, int e) {
        if (!keepsInvoices) {
            return;
        }
        int n = e - s;
        if (slot == runSlot) {
            int m = mismatch(runLast, runLastLength, a, s, n);
            if (m < 0) {
                return; // the same invoice as the key's previous row
            }
            if (m == runLastLength || (m < n && (runLast[m] & 0xff) < (a[s + m] & 0xff))) {
                appendToRun(m, a, s, e);
                return;
            }
        }
        flushRun();
        startRun(slot, a, s, e);
    }

    /**
     * The first index where {@code x[0, xn)} and {@code a[s, s + n)} differ, or -1 if they are equal ({@link
     * Arrays#mismatch} for the short texts invoices are, eight bytes at a time).
     */
    private static int mismatch(byte[] x, int xn, byte[] a, int s, int n) {
        int min = Math.min(xn, n);
        int i = 0;
        for (; i + 8 <= min; i += 8) {
            long d = PlainCells.load(x, i) ^ PlainCells.load(a, s + i);
            if (d != 0) {
                return i + (Long.numberOfTrailingZeros(d) >>> 3);
            }
        }
        for (; i < min; i++) {
            if (x[i] != a[s + i]) {
                return i;
            }
        }
        return xn == n ? -1 : min;
    }

    private void startRun(int slot, byte[] a, int s, int e) {
        runSlot = slot;
        runLength = 0;
        runCount = 0;
        runLastLength = 0;
        appendToRun(0, a, s, e);
    }

    /** Appends {@code a[s, e)}, which sorts after the run's last text and shares its first {@code shared} bytes. */
    private void appendToRun(int shared, byte[] a, int s, int e) {
        int n = e - s;
        int suffix = n - shared;
        if (runLength + 10 + suffix > run.length) {
            int grown = Math.max(run.length * 2, runLength + 10 + suffix);
            invoiceBytes += grown - run.length;
            invoiceBytesGrown.accept(grown - run.length);
            run = Arrays.copyOf(run, grown);
        }
        int at = InvoiceSets.writeVarint(run, runLength, shared);
        at = InvoiceSets.writeVarint(run, at, suffix);
        if (n > runLast.length) {
            runLast = Arrays.copyOf(runLast, Math.max(n, runLast.length * 2));
        }
        if (suffix <= 8) {
            // Consecutive invoice numbers differ in their last few bytes: a loop beats two calls to arraycopy.
            for (int k = 0; k < suffix; k++) {
                byte c = a[s + shared + k];
                run[at + k] = c;
                runLast[shared + k] = c;
            }
        } else {
            System.arraycopy(a, s + shared, run, at, suffix);
            System.arraycopy(a, s + shared, runLast, shared, suffix);
        }
        runLength = at + suffix;
        runCount++;
        runLastLength = n;
        byte[] set = invoiceSets[runSlot];
        if (runLength > Math.max(InvoiceSets.PENDING_LIMIT, set == null ? 0 : set.length)) {
            flushRun();
        }
    }

    /** Puts the run into its key's set: as the set if the key has no texts yet, else by a merge or as pending texts. */
    private void flushRun() {
        int slot = runSlot;
        if (slot < 0) {
            return;
        }
        runSlot = -1;
        byte[] set = invoiceSets[slot];
        boolean nonePending = pending == null || pendingLength[slot] == 0;
        if (invoiceCounts[slot] == 0 && nonePending) {
            invoiceSets[slot] = Arrays.copyOf(run, runLength);
            invoiceCounts[slot] = runCount;
            invoiceBytes += runLength;
            invoiceBytesGrown.accept(runLength);
        } else if (runLength >= (set == null ? 0 : set.length)) {
            // As large as the set: one linear merge, so a key's set at least doubles each time.
            long room = scratch.footprint();
            invoiceSets[slot] = scratch.union(set, invoiceCounts[slot], run, runCount, count);
            invoiceCounts[slot] = count[0];
            long grown = invoiceSets[slot].length - (set == null ? 0 : set.length) + scratch.footprint() - room;
            invoiceBytes += grown;
            invoiceBytesGrown.accept(grown);
        } else {
            // A short run for a key with texts already (keys whose rows interleave): pending, folded later.
            int at = 0;
            int[] v = new int[1];
            for (int k = 0; k < runCount; k++) {
                at = InvoiceSets.readVarint(run, at, v);
                int shared = v[0];
                at = InvoiceSets.readVarint(run, at, v);
                int suffix = v[0];
                if (shared + suffix > spelled.length) {
                    spelled = Arrays.copyOf(spelled, Math.max(shared + suffix, spelled.length * 2));
                }
                System.arraycopy(run, at, spelled, shared, suffix);
                at += suffix;
                addPending(slot, spelled, 0, shared + suffix);
            }
        }
    }

    private void addPending(int slot, byte[] a, int s, int e) {
        if (pending == null) {
            pending = new byte[keys.length][];
            pendingLength = new int[keys.length];
        }
        byte[] p = pending[slot];
        int length = pendingLength[slot];
        pending[slot] = InvoiceSets.append(p, length, a, s, e);
        length = InvoiceSets.appendedLength(length, e - s);
        pendingLength[slot] = length;
        // Fold once the pending texts are as large as the set (and at least a few KiB): the set is rebuilt a
        // logarithmic number of times, so a key's invoices cost O(n log n) however many there are.
        byte[] set = invoiceSets[slot];
        if (length > Math.max(InvoiceSets.PENDING_LIMIT, set == null ? 0 : set.length)) {
            fold(slot);
        }
    }

    private void fold(int slot) {
        folds++;
        byte[] previous = invoiceSets[slot];
        long room = scratch.footprint();
        invoiceSets[slot] =
                scratch.fold(invoiceSets[slot], invoiceCounts[slot], pending[slot], pendingLength[slot], count);
        long grown = invoiceSets[slot].length - (previous == null ? 0 : previous.length) + scratch.footprint() - room;
        invoiceBytes += grown;
        invoiceBytesGrown.accept(grown);
        invoiceCounts[slot] = count[0];
        pendingLength[slot] = 0;
    }

    /** Folds every key's pending invoice texts into its set and lets the buffers go. */
    public void compact() {
        flushRun();
        if (pending == null) {
            return;
        }
        for (int s = 0; s < size; s++) {
            if (pendingLength[s] > 0) {
                fold(s);
            }
        }
        pending = null;
        pendingLength = null;
    }

    /** Adds another table's totals for one key; both must be compacted. */
    public void absorb(
            int slot,
            BigInteger birdCount,
            BigInteger chickenMilli,
            BigInteger gizzardMilli,
            byte[] invoiceSet,
            int invoiceCount) {
        add(slot, birdCount, chickenMilli, gizzardMilli);
        absorbInvoices(slot, invoiceSet, invoiceCount);
    }

    /** As the other {@code absorb}, for sums that fit in a {@code long}. */
    public void absorb(
            int slot, long birdCount, long chickenMilli, long gizzardMilli, byte[] invoiceSet, int invoiceCount) {
        add(slot, birdCount, chickenMilli, gizzardMilli);
        absorbInvoices(slot, invoiceSet, invoiceCount);
    }

    private void absorbInvoices(int slot, byte[] invoiceSet, int invoiceCount) {
        flushRun();
        if (invoiceCount == 0) {
            return;
        }
        byte[] previous = invoiceSets[slot];
        long room = scratch.footprint();
        if (invoiceCounts[slot] == 0) {
            // Sets are never written again, so one can be shared.
            invoiceSets[slot] = invoiceSet;
            invoiceCounts[slot] = invoiceCount;
        } else {
            invoiceSets[slot] = scratch.union(previous, invoiceCounts[slot], invoiceSet, invoiceCount, count);
            invoiceCounts[slot] = count[0];
        }
        invoiceBytes +=
                invoiceSets[slot].length - (previous == null ? 0 : previous.length) + scratch.footprint() - room;
    }

    /**
     * Records that the slot's accepted rows include records starting at byte offsets {@code first} and {@code last}
     * ({@code first <= last}), and maybe others between.
     */
    public void rows(int slot, long first, long last) {
        if (firstRow == null) {
            firstRow = new long[keys.length];
            lastRow = new long[keys.length];
        }
        long f = firstRow[slot];
        if (f == 0 || first + 1 < f) {
            firstRow[slot] = first + 1;
        }
        if (last > lastRow[slot]) {
            lastRow[slot] = last;
        }
    }

    /**
     * Takes in the row offsets of {@code other}, absorbed into this table: its slot {@code s} is this table's
     * {@code slots[s]}. Its own rows ({@link #rows}) and its runs become runs of this table.
     */
    public void absorbRows(KeyTable other, int[] slots) {
        if (!other.rowsKnown) {
            forgetRows();
        }
        if (!rowsKnown) {
            return;
        }
        if (other.firstRow != null) {
            for (int s = 0; s < other.size; s++) {
                if (other.firstRow[s] != 0) {
                    addRun(slots[s], other.firstRow[s] - 1, other.lastRow[s]);
                }
            }
        }
        for (int r = 0; r < other.rowRuns && rowsKnown; r++) {
            addRun(slots[other.rowRunSlot[r]], other.rowRunFirst[r], other.rowRunFirst[r] + other.rowRunLength[r]);
        }
    }

    private void addRun(int slot, long first, long last) {
        if (rowRuns >= maxRuns || last - first > Integer.MAX_VALUE) {
            forgetRows();
            return;
        }
        if (rowRunSlot == null || rowRuns == rowRunSlot.length) {
            int n = rowRunSlot == null ? 1024 : Math.max(rowRuns + 1, Math.min(maxRuns, rowRuns * 2));
            rowRunSlot = rowRunSlot == null ? new int[n] : Arrays.copyOf(rowRunSlot, n);
            rowRunFirst = rowRunFirst == null ? new long[n] : Arrays.copyOf(rowRunFirst, n);
            rowRunLength = rowRunLength == null ? new int[n] : Arrays.copyOf(rowRunLength, n);
        }
        rowRunSlot[rowRuns] = slot;
        rowRunFirst[rowRuns] = first;
        rowRunLength[rowRuns] = (int) (last - first);
        rowRuns++;
    }

    /** Whether every row this table counted had its offset recorded ({@link #rows}, {@link #absorbRows}). */
    public boolean rowsKnown() {
        return rowsKnown;
    }

    /** Marks the row offsets unknown, and lets them go: the table counts rows whose offsets it does not have. */
    public void forgetRows() {
        rowsKnown = false;
        firstRow = null;
        lastRow = null;
        rowRunSlot = null;
        rowRunFirst = null;
        rowRunLength = null;
        rowRuns = 0;
    }

    /**
     * Hands {@code to} each recorded stretch of rows, as (slot, first row's record start, last row's record start):
     * one a slot for a reader's table, one a slot and absorbed range for a merged one. Only while {@link
     * #rowsKnown}.
     */
    public void forEachRowRun(RowRun to) {
        if (!rowsKnown) {
            throw new IllegalStateException("the table's row offsets are not known");
        }
        if (firstRow != null) {
            for (int s = 0; s < size; s++) {
                if (firstRow[s] != 0) {
                    to.run(s, firstRow[s] - 1, lastRow[s]);
                }
            }
        }
        for (int r = 0; r < rowRuns; r++) {
            to.run(rowRunSlot[r], rowRunFirst[r], rowRunFirst[r] + rowRunLength[r]);
        }
    }

    /** One stretch of a key's rows ({@link #forEachRowRun}). */
    @FunctionalInterface
    public interface RowRun {
        void run(int slot, long firstRowStart, long lastRowStart);
    }

    /** Bytes the invoice sets hold, with the room their texts were last spelled out in. */
    public long invoiceBytes() {
        return invoiceBytes;
    }

    public long keyAt(int slot) {
        return keys[slot];
    }

    /** Whether any of the slot's sums is outside the {@code long} range (see the {@code exact} accessors). */
    public boolean isWide(int slot) {
        return birds.isWide(slot) || chicken.isWide(slot) || gizzard.isWide(slot);
    }

    public long birds(int slot) {
        return birds.get(slot);
    }

    public long chicken(int slot) {
        return chicken.get(slot);
    }

    public long gizzard(int slot) {
        return gizzard.get(slot);
    }

    public BigInteger exactBirds(int slot) {
        return birds.exact(slot);
    }

    public BigInteger exactChicken(int slot) {
        return chicken.exact(slot);
    }

    public BigInteger exactGizzard(int slot) {
        return gizzard.exact(slot);
    }

    /** The slot's distinct invoice texts as an {@link InvoiceSets} set, or null when it has none. */
    public byte[] invoiceSet(int slot) {
        return invoiceSets[slot];
    }

    public int invoiceCount(int slot) {
        return invoiceCounts[slot];
    }

    private void grow() {
        int cap = keys.length * 2;
        keys = Arrays.copyOf(keys, cap);
        birds.grow(cap);
        chicken.grow(cap);
        gizzard.grow(cap);
        invoiceSets = Arrays.copyOf(invoiceSets, cap);
        invoiceCounts = Arrays.copyOf(invoiceCounts, cap);
        if (firstRow != null) {
            firstRow = Arrays.copyOf(firstRow, cap);
            lastRow = Arrays.copyOf(lastRow, cap);
        }
        if (pending != null) {
            pending = Arrays.copyOf(pending, cap);
            pendingLength = Arrays.copyOf(pendingLength, cap);
        }
        index = new int[cap * 2];
        int mask = index.length - 1;
        for (int s = 0; s < size; s++) {
            int i = (int) Bytes.keyedMix(keys[s]) & mask;
            while (index[i] != 0) {
                i = (i + 1) & mask;
            }
            index[i] = s + 1;
        }
    }
}
