package io.tally.core;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the run in this process holds, as last counted: (date, officer) keys, distinct officers and rejected
 * rows. When memory runs out, {@link #describe()} names what grew, so the one-line message points at the
 * input's real shape (a million officers, ten million rejected rows) rather than always at keys.
 */
public final class MemoryUse {
    /** Rough bytes each item holds, from heap measurements of the engine. */
    static final long KEY_BYTES = 300;

    static final long OFFICER_BYTES = 150;
    /** Rejected rows past a small budget wait on disk ({@link RejectedRows}), so they do not weigh here. */
    static final long REJECTED_BYTES = 0;
    /** Nothing smaller is blamed: a few invoice texts in a range being read are not what filled the heap. */
    static final long BLAME_AT_LEAST = 64 << 10;

    private static volatile long keys;
    private static volatile long officers;
    private static volatile long rejected;
    private static volatile long invoiceBytes;
    /** Rows rejected by readers since the run began, merged or not: read-ahead ranges hold them too. */
    private static final LongAdder REJECTED_READ = new LongAdder();
    /**
     * Bytes of invoice sets built by readers since the run began, merged or not: a range still being read (one
     * key with 200,000 long invoice numbers) holds them before any partial is merged.
     */
    private static final LongAdder INVOICES_READ = new LongAdder();

    private MemoryUse() {}

    static void record(long keyCount, long officerCount, long rejectedCount, long invoiceSetBytes) {
        keys = keyCount;
        officers = officerCount;
        rejected = rejectedCount;
        invoiceBytes = invoiceSetBytes;
    }

    /** A reader rejected a row. */
    static void rejectedRead() {
        REJECTED_READ.increment();
    }

    /** A reader's invoice sets grew by {@code bytes}. */
    static void invoiceBytesRead(long bytes) {
        INVOICES_READ.add(bytes);
    }

    /** A new run in this process: the counts start again. */
    public static void reset() {
        record(0, 0, 0, 0);
        REJECTED_READ.reset();
        INVOICES_READ.reset();
    }

    /** Counts as last recorded: keys, officers, rejected rows, invoice-set bytes (merged, or held by readers). */
    public static long[] counts() {
        return new long[] {keys, officers, rejected, Math.max(invoiceBytes, INVOICES_READ.sum())};
    }

    /** {@code 2,000 keys, 1,000,000 distinct officers (most of the memory), 0 rejected rows and 1 MB of invoices}. */
    public static String describe() {
        return describe(
                keys, officers, Math.max(rejected, REJECTED_READ.sum()), Math.max(invoiceBytes, INVOICES_READ.sum()));
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
