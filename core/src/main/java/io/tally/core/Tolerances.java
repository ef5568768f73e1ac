package io.tally.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * How much weight may go missing before a key is a discrepancy: the larger of {@code kg} and
 * {@code pct} percent of the purchase side's weight. Exact decimals, never binary floating point.
 */
public record Tolerances(BigDecimal kg, BigDecimal pct) {
    /** The largest weight a cell can hold (15 integer digits): a larger kg tolerance means nothing. */
    public static final BigDecimal MAX_KG = new BigDecimal("1000000000000000");
    /** A percentage beyond this lets every loss through; it is surely a typo. */
    public static final BigDecimal MAX_PCT = new BigDecimal("1000000");
    /** Decimal places a tolerance may have: weights are kept to 3, percentages need no more than this. */
    public static final int MAX_SCALE = 9;

    /** DATA.md's defaults: 0.5 kg, 2.0 %. Declared after the bounds it is checked against. */
    public static final Tolerances DEFAULT = new Tolerances(new BigDecimal("0.5"), new BigDecimal("2.0"));

    public Tolerances {
        Objects.requireNonNull(kg, "kg");
        Objects.requireNonNull(pct, "pct");
        check("kg", kg, MAX_KG);
        check("pct", pct, MAX_PCT);
    }

    /** Refuses a tolerance out of range. Messages use the value's compact form: {@code 1E+999999999}. */
    private static void check(String what, BigDecimal v, BigDecimal max) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException("tolerance " + what + " must not be negative, not " + v);
        }
        if (v.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    "tolerance " + what + " must be at most " + max.toPlainString() + ", not " + v);
        }
        if (v.stripTrailingZeros().scale() > MAX_SCALE) {
            throw new IllegalArgumentException(
                    "tolerance " + what + " may have at most " + MAX_SCALE + " decimal places, not " + v);
        }
    }

    /** True when {@code |diffMilli|} is strictly over the tolerance for a purchase weight of {@code purchaseMilli}. */
    public boolean exceeded(long diffMilli, long purchaseMilli) {
        return exceeded(BigInteger.valueOf(diffMilli), BigInteger.valueOf(purchaseMilli));
    }

    /** As {@link #exceeded(long, long)}, for any size. */
    public boolean exceeded(BigInteger diffMilli, BigInteger purchaseMilli) {
        BigDecimal diff = new BigDecimal(diffMilli.abs());
        BigDecimal byKg = kg.movePointRight(3);
        BigDecimal byPct = new BigDecimal(purchaseMilli).multiply(pct).movePointLeft(2);
        return diff.compareTo(byKg.max(byPct)) > 0;
    }
}
