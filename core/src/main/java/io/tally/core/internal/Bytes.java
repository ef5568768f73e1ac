package io.tally.core.internal;

/** Small byte-level helpers for the hot path. */
public final class Bytes {
    private Bytes() {}

    /** ASCII white space: space, tab, LF, VT, FF, CR. */
    public static boolean isSpace(byte b) {
        return b == ' ' || (b >= 9 && b <= 13);
    }

    public static boolean isSpace(char c) {
        return c == ' ' || (c >= 9 && c <= 13);
    }

    /** First index in [s, e) that is not white space, or e. */
    public static int trimStart(byte[] a, int s, int e) {
        while (s < e && isSpace(a[s])) {
            s++;
        }
        return s;
    }

    /** One past the last index in [s, e) that is not white space, or s. */
    public static int trimEnd(byte[] a, int s, int e) {
        while (e > s && isSpace(a[e - 1])) {
            e--;
        }
        return e;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * A 64-bit hash of a byte slice, used to count distinct invoices compactly: eight bytes at a time,
     * the last word overlapping, each folded in with the murmur3 finaliser.
     */
    public static long hash64(byte[] a, int s, int e) {
        int n = e - s;
        long h = 0x9E3779B97F4A7C15L * (n + 1);
        if (n >= 8) {
            int i = s;
            for (; i + 8 < e; i += 8) {
                h = mix(h ^ (long) LONGS.get(a, i));
            }
            return mix(h ^ (long) LONGS.get(a, e - 8) ^ 0xC2B2AE3D27D4EB4FL);
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            v = (v << 8) | (a[i] & 0xffL);
        }
        return mix(h ^ v ^ 0xC2B2AE3D27D4EB4FL);
    }

    /** The murmur3 64-bit finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
