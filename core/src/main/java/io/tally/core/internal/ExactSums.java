package io.tally.core.internal;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A column of exact integer sums. Each sum is a {@code long} until it would leave the {@code long} range;
 * from then on that one sum is a {@link BigInteger}. Real data never gets there, so the common case costs
 * one overflow test per addition and no allocation, and no input, however large, makes a sum wrong or a run
 * fail.
 */
public final class ExactSums {
    private long[] values;
    /** Null until some sum widens; {@code wide[i] != null} means sum {@code i} is that value. */
    private BigInteger[] wide;

    public ExactSums(int capacity) {
        values = new long[capacity];
    }

    public void grow(int capacity) {
        values = Arrays.copyOf(values, capacity);
        if (wide != null) {
            wide = Arrays.copyOf(wide, capacity);
        }
    }

    public void add(int i, long v) {
        if (wide != null && wide[i] != null) {
            set(i, wide[i].add(BigInteger.valueOf(v)));
            return;
        }
        long a = values[i];
        long r = a + v;
        if (((a ^ r) & (v ^ r)) < 0) {
            set(i, BigInteger.valueOf(a).add(BigInteger.valueOf(v)));
        } else {
            values[i] = r;
        }
    }

    public void add(int i, BigInteger v) {
        if (v.bitLength() < 64) {
            add(i, v.longValue());
        } else {
            set(i, exact(i).add(v));
        }
    }

    /** Whether sum {@code i} is outside the {@code long} range, so only {@link #exact} gives it. */
    public boolean isWide(int i) {
        return wide != null && wide[i] != null;
    }

    /** Sum {@code i}, when it is not {@linkplain #isWide wide}. */
    public long get(int i) {
        if (isWide(i)) {
            throw new ArithmeticException("sum " + i + " does not fit in a long: " + wide[i]);
        }
        return values[i];
    }

    public BigInteger exact(int i) {
        return isWide(i) ? wide[i] : BigInteger.valueOf(values[i]);
    }

    /** The sum of the first {@code n} sums, exactly. */
    public BigInteger total(int n) {
        BigInteger big = BigInteger.ZERO;
        long small = 0;
        for (int i = 0; i < n; i++) {
            if (isWide(i)) {
                big = big.add(wide[i]);
                continue;
            }
            long v = values[i];
            long r = small + v;
            if (((small ^ r) & (v ^ r)) < 0) {
                big = big.add(BigInteger.valueOf(small));
                r = v;
            }
            small = r;
        }
        return big.add(BigInteger.valueOf(small));
    }

    private void set(int i, BigInteger v) {
        if (v.bitLength() < 64) {
            values[i] = v.longValue();
            if (wide != null) {
                wide[i] = null;
            }
            return;
        }
        if (wide == null) {
            wide = new BigInteger[values.length];
        }
        wide[i] = v;
        values[i] = 0;
    }
}
