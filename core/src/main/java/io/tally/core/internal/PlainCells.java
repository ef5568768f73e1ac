package io.tally.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The byte-level pieces of the reader's fast path for plain records (no quote, no byte that is not ASCII):
 * delimiter searches eight bytes at a time, numbers read branch-free from one long load (the One Billion Row
 * Challenge's technique), and a cell remembered as its raw bytes so that a repeat costs one or two compares.
 *
 * <p>Every method may load up to eight bytes past the index it is given, and past the end it is given: the
 * caller keeps that much room in its array. Bytes at and past {@code end} may be stale and decide nothing.
 */
public final class PlainCells {
    private PlainCells() {}

    // The eight-bytes-at-a-time (SWAR) constants, shared with RecordScanner.

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGHS = 0x8080808080808080L;
    static final long COMMAS = ',' * ONES;
    static final long QUOTES = '"' * ONES;
    static final long LFS = '\n' * ONES;
    static final long CRS = '\r' * ONES;
    private static final long ZEROS = '0' * ONES;
    private static final long SPACES = ' ' * ONES;
    private static final long PAST_NINE = 0x7676767676767676L;
    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;
    /** Thousandths per unit of the last fraction digit, by the number of fraction digits (1 to 3). */
    private static final long[] FRACTION_SCALE = {0, 100, 10, 1};

    /** The eight bytes at {@code i}, the first in the lowest byte. */
    public static long load(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** High bit set in each byte of {@code x} that is zero; exact for the lowest such byte. */
    static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** Index of the first comma, quote, CR, LF or non-ASCII byte in [i, end), or {@code end}. */
    public static int nextSpecial(byte[] b, int i, int end) {
        while (i < end) {
            long w = load(b, i);
            long hits = zeroBytes(w ^ COMMAS)
                    | zeroBytes(w ^ QUOTES)
                    | zeroBytes(w ^ LFS)
                    | zeroBytes(w ^ CRS)
                    | (w & HIGHS);
            if (hits != 0) {
                return Math.min(end, i + (Long.numberOfTrailingZeros(hits) >>> 3));
            }
            i += 8;
        }
        return end;
    }

    /**
     * Index of the first quote, control character (CR and LF among them) or non-ASCII byte in [i, end), or
     * {@code end}.
     */
    public static int nextControlQuoteOrHigh(byte[] b, int i, int end) {
        while (i < end) {
            long w = load(b, i);
            // A byte below 0x20 (exact for the lowest such byte, as zeroBytes is), a quote, or one from 0x80 up.
            long hits = ((w - SPACES) & ~w) | zeroBytes(w ^ QUOTES) | w;
            hits &= HIGHS;
            if (hits != 0) {
                return Math.min(end, i + (Long.numberOfTrailingZeros(hits) >>> 3));
            }
            i += 8;
        }
        return end;
    }

    /** Whether {@code c} ends a cell: a comma, or a line end. */
    public static boolean endsCell(byte c) {
        return c == ',' || c == '\n' || c == '\r';
    }

    /** High bit set in each byte of {@code w} that is not an ASCII digit; exact for the lowest such byte. */
    private static long nonDigits(long w) {
        long d = w - ZEROS;
        return (d | (d + PAST_NINE)) & HIGHS;
    }

    /** The value of the {@code k} (1 to 8) ASCII digits in the low bytes of {@code w}, most significant first. */
    private static long digits(long w, int k) {
        long v = (w & LOW_NIBBLES) << ((8 - k) << 3); // right-aligned: the bytes below are leading zeros
        v = ((v * 2561) >>> 8) & 0x00FF00FF00FF00FFL; // pairs of digits
        v = ((v * 6553601) >>> 16) & 0x0000FFFF0000FFFFL; // groups of four
        return (v * 42949672960001L) >>> 32;
    }

    /**
     * A plain whole number at {@code b[i]}: 1 to 7 digits and then a comma or a line end. Returns the value
     * shifted left by 8 with the digits' length in the low 8 bits, or -1 for any other shape (which
     * {@link Numbers} then reads).
     */
    public static long plainWhole(byte[] b, int i) {
        long w = load(b, i);
        long flags = nonDigits(w);
        int k = Long.numberOfTrailingZeros(flags) >>> 3;
        if (k == 0 || k == 8 || !endsCell((byte) (w >>> (k << 3)))) {
            return -1;
        }
        return (digits(w, k) << 8) | k;
    }

    /**
     * A plain weight at {@code b[i]}: 1 to 7 digits, optionally a point and 1 to 3 digits, then a comma or a line
     * end. Returns its thousandths shifted left by 8 with the cell's length in the low 8 bits, or -1 for any
     * other shape (which {@link Numbers} then reads).
     */
    public static long plainMilli(byte[] b, int i) {
        long w = load(b, i);
        int k = Long.numberOfTrailingZeros(nonDigits(w)) >>> 3;
        if (k == 0 || k == 8) {
            return -1;
        }
        byte after = (byte) (w >>> (k << 3));
        long whole = digits(w, k) * 1000;
        if (after == '.') {
            long f = load(b, i + k + 1);
            int j = Long.numberOfTrailingZeros(nonDigits(f)) >>> 3;
            if (j == 0 || j > 3 || !endsCell((byte) (f >>> (j << 3)))) {
                return -1;
            }
            return ((whole + digits(f, j) * FRACTION_SCALE[j]) << 8) | (k + 1 + j);
        }
        if (!endsCell(after)) {
            return -1;
        }
        return (whole << 8) | k;
    }

    /**
     * A cell remembered as its raw bytes and the byte that ended it, so that the next row's copy of it is told
     * by one or two long compares.
     */
    public static final class Cell {
        private long w0;
        private long w1;
        private long mask = -1;
        private byte[] copy = new byte[32];
        /** Bytes remembered, the terminator included; 0 for none. */
        private int length;

        /** Whether {@code b[i, i + length())} repeats the remembered bytes, all before {@code end}. */
        public boolean matches(byte[] b, int i, int end) {
            int n = length;
            if (n == 0 || i + n > end) {
                return false;
            }
            if (n <= 8) {
                return (load(b, i) & mask) == w0;
            }
            if (n <= 16) {
                return load(b, i) == w0 && load(b, i + n - 8) == w1;
            }
            return Arrays.equals(copy, 0, n, b, i, i + n);
        }

        /** Bytes remembered, the terminator included. */
        public int length() {
            return length;
        }

        /** Remembers {@code b[i, i + n)}: a cell and the byte that ended it. */
        public void set(byte[] b, int i, int n) {
            length = n;
            if (n <= 8) {
                mask = n == 8 ? -1 : (1L << (n << 3)) - 1;
                w0 = load(b, i) & mask;
            } else if (n <= 16) {
                w0 = load(b, i);
                w1 = load(b, i + n - 8);
            } else {
                if (copy.length < n) {
                    copy = new byte[n];
                }
                System.arraycopy(b, i, copy, 0, n);
            }
        }

        /** Forgets the cell. */
        public void clear() {
            length = 0;
        }
    }
}
