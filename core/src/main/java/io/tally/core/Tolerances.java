package io.tally.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * How much weight may go missing before a key is a discrepancy: the larger of {@code kg} and
 * {@code pct} percent of the purchase side's weight. Exact decimals, never binary floating point.
 */
public record Tolerances(BigDecimal kg, BigDecimal pct) {
    public static final Tolerances DEFAULT = new Tolerances(new BigDecimal("0.5"), new BigDecimal("2.0"));

    public Tolerances {
        Objects.requireNonNull(kg, "kg");
        Objects.requireNonNull(pct, "pct");
        if (kg.signum() < 0) {
            throw new IllegalArgumentException("tolerance kg must not be negative: " + kg.toPlainString());
        }
        if (pct.signum() < 0) {
            throw new IllegalArgumentException("tolerance pct must not be negative: " + pct.toPlainString());
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
