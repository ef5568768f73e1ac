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

    /** A 64-bit hash of a byte slice (wyhash-style mixing), used to count distinct invoices compactly. */
    public static long hash64(byte[] a, int s, int e) {
        long h = 0x9E3779B97F4A7C15L ^ (e - s);
        int i = s;
        while (i + 8 <= e) {
            long v = (a[i] & 0xffL) | (a[i + 1] & 0xffL) << 8 | (a[i + 2] & 0xffL) << 16
                    | (a[i + 3] & 0xffL) << 24 | (a[i + 4] & 0xffL) << 32 | (a[i + 5] & 0xffL) << 40
                    | (a[i + 6] & 0xffL) << 48 | (a[i + 7] & 0xffL) << 56;
            h = mix(h ^ v);
            i += 8;
        }
        long v = 0;
        int shift = 0;
        while (i < e) {
            v |= (a[i++] & 0xffL) << shift;
            shift += 8;
        }
        return mix(mix(h ^ v) ^ 0xC2B2AE3D27D4EB4FL);
    }

    /** The murmur3 64-bit finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
