package io.tally.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

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

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The secret key of this process's hash tables. Tables keyed by input text (officer names) or by values
     * the input chooses (dates) hash with it, so no input can be crafted to collide: an attacker who knows
     * the code still does not know the key. Nothing hashed leaves the process, so workers need not agree.
     * Not final: a process restored from a snapshot draws its own ({@link #redrawKey}), and a final field's
     * value would be compiled into the snapshot's code.
     */
    private static long K0;

    private static long K1;

    static {
        redrawKey();
    }

    /**
     * Draws a new key. Only while no keyed table is in use: a process restored from a SnapStart snapshot, whose
     * copies would otherwise all share the key drawn before the snapshot.
     */
    public static synchronized void redrawKey() {
        SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    /** SipHash-1-3 of a byte slice under the process key: a keyed hash for tables of input text. */
    public static long keyedHash(byte[] a, int s, int e) {
        long v0 = K0 ^ 0x736f6d6570736575L;
        long v1 = K1 ^ 0x646f72616e646f6dL;
        long v2 = K0 ^ 0x6c7967656e657261L;
        long v3 = K1 ^ 0x7465646279746573L;
        int i = s;
        for (; i + 8 <= e; i += 8) {
            long m = (long) LONGS.get(a, i);
            v3 ^= m;
            // one compression round
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
            v0 ^= m;
        }
        long last = ((long) (e - s) & 0xff) << 56;
        for (int k = 0; i < e; i++, k += 8) {
            last |= (a[i] & 0xffL) << k;
        }
        return finish(v0, v1, v2, v3, last);
    }

    /** SipHash-1-3 of one 64-bit value under the process key: a keyed mix for tables of numeric keys. */
    public static long keyedMix(long m) {
        long v0 = K0 ^ 0x736f6d6570736575L;
        long v1 = K1 ^ 0x646f72616e646f6dL;
        long v2 = K0 ^ 0x6c7967656e657261L;
        long v3 = K1 ^ 0x7465646279746573L;
        v3 ^= m;
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
        v0 ^= m;
        return finish(v0, v1, v2, v3, 8L << 56);
    }

    private static long finish(long v0, long v1, long v2, long v3, long last) {
        v3 ^= last;
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
        v0 ^= last;
        v2 ^= 0xff;
        for (int r = 0; r < 3; r++) {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
