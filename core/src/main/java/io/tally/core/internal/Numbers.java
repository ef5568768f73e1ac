package io.tally.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reads DATA.md numbers from bytes: surrounding spaces, thousands separators ({@code 1,234.5}) and a
 * trailing {@code kg} unit in any case are allowed. Weights become exact thousandths, rounded half-even
 * per cell; bird counts must be whole. No floating point anywhere.
 */
public final class Numbers {
    /** What a cell turned out to be. */
    public enum Outcome {
        OK,
        EMPTY,
        BAD,
        NEGATIVE
    }

    /** Up to 15 integer digits: far beyond any real weight, and sums of 100M rows still fit in a long. */
    private static final int MAX_INTEGER_DIGITS = 15;

    private Outcome outcome;
    private long value;

    /** The value: thousandths for {@link #parseMilli}, a count for {@link #parseWhole}. */
    public long value() {
        return value;
    }

    /** Parses a weight into thousandths, rounded half-even to 3 places. */
    public Outcome parseMilli(byte[] a, int s, int e) {
        return parse(a, s, e, false);
    }

    /** Parses a whole number ({@code 12} or {@code 12.0}; {@code 12.5} is bad). */
    public Outcome parseWhole(byte[] a, int s, int e) {
        return parse(a, s, e, true);
    }

    private Outcome parse(byte[] a, int s, int e, boolean whole) {
        // Fast path for the shape nearly every cell has: 1-15 digits, then optionally '.' and 1-3 digits.
        int n = e - s;
        if (n > 0 && n <= 19) {
            long v = 0;
            int i = s;
            while (i < e) {
                int d = a[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
                i++;
            }
            int intDigits = i - s;
            if (intDigits > 0 && intDigits <= MAX_INTEGER_DIGITS) {
                if (i == e) {
                    return done(Outcome.OK, whole ? v : v * 1000);
                }
                if (a[i] == '.' && !whole && e - i - 1 >= 1 && e - i - 1 <= 3) {
                    long f = 0;
                    int k = i + 1;
                    for (; k < e; k++) {
                        int d = a[k] - '0';
                        if (d < 0 || d > 9) {
                            break;
                        }
                        f = f * 10 + d;
                    }
                    if (k == e) {
                        for (int pad = e - i - 1; pad < 3; pad++) {
                            f *= 10;
                        }
                        return done(Outcome.OK, v * 1000 + f);
                    }
                }
            }
        }
        return parseGeneral(a, s, e, whole);
    }

    private Outcome parseGeneral(byte[] a, int s, int e, boolean whole) {
        s = Bytes.trimStart(a, s, e);
        e = Bytes.trimEnd(a, s, e);
        if (s == e) {
            return done(Outcome.EMPTY, 0);
        }
        if (e - s >= 2 && (a[e - 1] | 0x20) == 'g' && (a[e - 2] | 0x20) == 'k') {
            e = Bytes.trimEnd(a, s, e - 2);
            if (s == e) {
                return done(Outcome.BAD, 0);
            }
        }
        boolean negative = false;
        if (a[s] == '-' || a[s] == '+') {
            negative = a[s] == '-';
            s++;
        }
        // Fast path: plain digits with an optional fraction.
        long integer = 0;
        int digits = 0;
        int groupDigits = 0;
        boolean grouped = false;
        int i = s;
        for (; i < e; i++) {
            byte c = a[i];
            if (c >= '0' && c <= '9') {
                if (++digits > MAX_INTEGER_DIGITS) {
                    return done(Outcome.BAD, 0);
                }
                integer = integer * 10 + (c - '0');
                groupDigits++;
            } else if (c == ',') {
                if (grouped ? groupDigits != 3 : (groupDigits < 1 || groupDigits > 3)) {
                    return done(Outcome.BAD, 0);
                }
                grouped = true;
                groupDigits = 0;
            } else {
                break;
            }
        }
        if (grouped && groupDigits != 3) {
            return done(Outcome.BAD, 0);
        }
        long fraction = 0;
        int fractionDigits = 0;
        int rest = BELOW_HALF;
        boolean nonZeroFraction = false;
        if (i < e && a[i] == '.') {
            i++;
            int restStart = -1;
            for (; i < e; i++) {
                byte c = a[i];
                if (c < '0' || c > '9') {
                    return done(Outcome.BAD, 0);
                }
                if (c != '0') {
                    nonZeroFraction = true;
                }
                if (fractionDigits < 3) {
                    fraction = fraction * 10 + (c - '0');
                } else if (restStart < 0) {
                    restStart = i;
                }
                fractionDigits++;
            }
            if (restStart >= 0) {
                rest = compareToHalf(a, restStart, e);
            }
        }
        if (i != e || digits + fractionDigits == 0) {
            return done(Outcome.BAD, 0);
        }
        for (int k = Math.min(fractionDigits, 3); k < 3; k++) {
            fraction *= 10;
        }
        if (negative && (integer != 0 || nonZeroFraction)) {
            return done(Outcome.NEGATIVE, 0);
        }
        if (whole) {
            return nonZeroFraction ? done(Outcome.BAD, 0) : done(Outcome.OK, integer);
        }
        long milli = integer * 1000 + fraction;
        if (rest == ABOVE_HALF || (rest == HALF && (milli & 1) == 1)) {
            milli++;
        }
        return done(Outcome.OK, milli);
    }

    private static final int BELOW_HALF = 0;
    private static final int HALF = 1;
    private static final int ABOVE_HALF = 2;

    /** Compares the digits past the third decimal with one half, for half-even rounding. */
    private static int compareToHalf(byte[] a, int s, int e) {
        byte first = a[s];
        if (first != '5') {
            return first > '5' ? ABOVE_HALF : BELOW_HALF;
        }
        for (int i = s + 1; i < e; i++) {
            if (a[i] != '0') {
                return ABOVE_HALF;
            }
        }
        return HALF;
    }

    private Outcome done(Outcome o, long v) {
        outcome = o;
        value = v;
        return o;
    }

    /** Writes thousandths as a decimal with exactly 3 places: {@code 12500} is {@code 12.500}. */
    public static void appendMilli(StringBuilder sb, long milli) {
        if (milli < 0) {
            sb.append('-');
            milli = -milli;
        }
        sb.append(milli / 1000).append('.');
        long f = milli % 1000;
        if (f < 100) {
            sb.append('0');
        }
        if (f < 10) {
            sb.append('0');
        }
        sb.append(f);
    }

    /** As {@link #appendMilli(StringBuilder, long)}, for any size. */
    public static void appendMilli(StringBuilder sb, BigInteger milli) {
        if (milli.bitLength() < 64) {
            appendMilli(sb, milli.longValue());
            return;
        }
        sb.append(new BigDecimal(milli, 3).toPlainString());
    }

    public static String milli(BigInteger milli) {
        StringBuilder sb = new StringBuilder(24);
        appendMilli(sb, milli);
        return sb.toString();
    }

    public static String milli(long milli) {
        StringBuilder sb = new StringBuilder(16);
        appendMilli(sb, milli);
        return sb.toString();
    }
}
