package io.tally.core;

import java.util.Locale;

/**
 * What the run in this process holds, as last counted: (date, officer) keys, distinct officers and rejected
 * rows. When memory runs out, {@link #describe()} names what grew, so the one-line message points at the
 * input's real shape (a million officers, ten million rejected rows) rather than always at keys.
 */
public final class MemoryUse {
    /** Rough bytes each item holds, from heap measurements of the engine. */
    static final long KEY_BYTES = 300;
    static final long OFFICER_BYTES = 150;
    static final long REJECTED_BYTES = 250;

    private static volatile long keys;
    private static volatile long officers;
    private static volatile long rejected;

    private MemoryUse() {}

    static void record(long keyCount, long officerCount, long rejectedCount) {
        keys = keyCount;
        officers = officerCount;
        rejected = rejectedCount;
    }

    /** Counts as last recorded, for a test or a message. */
    public static long[] counts() {
        return new long[] {keys, officers, rejected};
    }

    /** {@code 1,000,000 distinct officers (most of the memory), 2,000 keys and 0 rejected rows}. */
    public static String describe() {
        return describe(keys, officers, rejected);
    }

    static String describe(long k, long o, long r) {
        if (k == 0 && o == 0 && r == 0) {
            return "before any totals were kept";
        }
        long kb = k * KEY_BYTES;
        long ob = o * OFFICER_BYTES;
        long rb = r * REJECTED_BYTES;
        String most = kb >= ob && kb >= rb ? "keys" : ob >= rb ? "officers" : "rejected";
        return String.format(Locale.ROOT, "%,d (date, officer) keys%s, %,d distinct officers%s and %,d rejected rows%s",
                k, most.equals("keys") ? " (most of the memory)" : "", o,
                most.equals("officers") ? " (most of the memory)" : "", r,
                most.equals("rejected") ? " (most of the memory)" : "");
    }
}
