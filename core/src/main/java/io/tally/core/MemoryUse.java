package io.tally.core;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one run holds, as last counted: (date, officer) keys, distinct officers, rejected rows and invoice texts.
 * Each run has its own ({@link Reconcile#memory()}): its readers and its merge count into it, and when memory runs
 * out, {@link #describe()} names what grew, so the one-line message points at the input's real shape (a million
 * officers, ten million rejected rows) rather than always at keys.
 */
public final class MemoryUse {
    /** Rough bytes each item holds, from heap measurements of the engine. */
    static final long KEY_BYTES = 300;

    static final long OFFICER_BYTES = 150;
    /** Rejected rows past a small budget wait on disk ({@link RejectedRows}), so they do not weigh here. */
    static final long REJECTED_BYTES = 0;
    /** Nothing smaller is blamed: a few invoice texts in a range being read are not what filled the heap. */
    static final long BLAME_AT_LEAST = 64 << 10;

    private volatile long keys;
    private volatile long officers;
    private volatile long rejected;
    private volatile long invoiceBytes;
    /** Rows rejected by readers since the run began, merged or not: read-ahead ranges hold them too. */
    private final LongAdder rejectedRead = new LongAdder();
    /**
     * Bytes of invoice sets built by readers since the run began, merged or not: a range still being read (one
     * key with 200,000 long invoice numbers) holds them before any partial is merged.
     */
    private final LongAdder invoicesRead = new LongAdder();

    /** Counts for a new run: nothing held yet. */
    public MemoryUse() {}

    void record(long keyCount, long officerCount, long rejectedCount, long invoiceSetBytes) {
        keys = keyCount;
        officers = officerCount;
        rejected = rejectedCount;
        invoiceBytes = invoiceSetBytes;
    }

    /** A reader rejected a row. */
    void rejectedRead() {
        rejectedRead.increment();
    }

    /** A reader's invoice sets grew by {@code bytes}. */
    void invoiceBytesRead(long bytes) {
        invoicesRead.add(bytes);
    }

    /** Counts as last recorded: keys, officers, rejected rows, invoice-set bytes (merged, or held by readers). */
    public long[] counts() {
        return new long[] {keys, officers, rejected, Math.max(invoiceBytes, invoicesRead.sum())};
    }

    /** {@code 2,000 keys, 1,000,000 distinct officers (most of the memory), 0 rejected rows and 1 MB of invoices}. */
    public String describe() {
        return describe(
                keys, officers, Math.max(rejected, rejectedRead.sum()), Math.max(invoiceBytes, invoicesRead.sum()));
    }

    static String describe(long k, long o, long r, long inv) {
        if (k == 0 && o == 0 && r == 0 && inv == 0) {
            return "nothing yet (it ran out while reading the first ranges)";
        }
        long[] bytes = {k * KEY_BYTES, o * OFFICER_BYTES, r * REJECTED_BYTES, inv};
        int most = 0;
        for (int i = 1; i < bytes.length; i++) {
            if (bytes[i] > bytes[most]) {
                most = i;
            }
        }
        String[] mark = {"", "", "", ""};
        if (bytes[most] >= BLAME_AT_LEAST) {
            mark[most] = " (most of the memory)";
        }
        return String.format(
                Locale.ROOT,
                "%,d (date, officer) keys%s, %,d distinct officers%s, %,d rejected rows%s "
                        + "and %,d MB of distinct invoice numbers%s",
                k,
                mark[0],
                o,
                mark[1],
                r,
                mark[2],
                inv >> 20,
                mark[3]);
    }
}
