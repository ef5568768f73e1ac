package io.tally.core.internal;

import io.tally.core.Tolerances;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * {@link Tolerances#exceeded} in exact integer arithmetic for the common case, with the decimal
 * version as the fallback whenever a product could overflow or the tolerances are unusually precise. The
 * bounds of the fast path are derived from the tolerances themselves, so no product can overflow.
 */
public final class ToleranceCheck {
    private static final long SAFE = 1L << 40;

    private final Tolerances tolerances;
    private final long kgMilli;
    private final long pctUnscaled;
    private final long pctDenominator;
    /** Largest diff and purchase for which {@code diff * pctDenominator} and {@code purchase * pctUnscaled} fit. */
    private final long maxDiff;

    private final long maxPurchase;

    public ToleranceCheck(Tolerances tolerances) {
        this.tolerances = tolerances;
        BigDecimal kg = tolerances.kg().movePointRight(3).stripTrailingZeros();
        BigDecimal pct = tolerances.pct().stripTrailingZeros();
        boolean kgExact = kg.scale() <= 0 && kg.compareTo(BigDecimal.valueOf(SAFE)) < 0;
        int scale = Math.max(0, pct.scale());
        boolean pctExact = scale <= 6 && pct.compareTo(BigDecimal.valueOf(1_000_000)) < 0;
        if (kgExact && pctExact) {
            kgMilli = kg.longValueExact();
            pctUnscaled = pct.movePointRight(scale).longValueExact();
            pctDenominator = 100 * BigDecimal.TEN.pow(scale).longValueExact();
            maxDiff = Long.MAX_VALUE / pctDenominator;
            maxPurchase = pctUnscaled == 0 ? Long.MAX_VALUE : Long.MAX_VALUE / pctUnscaled;
        } else {
            kgMilli = -1;
            pctUnscaled = 0;
            pctDenominator = 0;
            maxDiff = -1;
            maxPurchase = -1;
        }
    }

    /** True when {@code |diffMilli|} is strictly over the larger of the kg and the percentage tolerance. */
    public boolean exceeded(long diffMilli, long purchaseMilli) {
        long diff = Math.abs(diffMilli);
        if (kgMilli >= 0
                && diff <= maxDiff
                && purchaseMilli >= 0
                && purchaseMilli <= maxPurchase
                && diffMilli != Long.MIN_VALUE) {
            // diff > purchase * pct / 100  <=>  diff * 100 * 10^s > purchase * (pct * 10^s); both fit in a long
            return diff > kgMilli && diff * pctDenominator > purchaseMilli * pctUnscaled;
        }
        return tolerances.exceeded(diffMilli, purchaseMilli);
    }

    /** As {@link #exceeded(long, long)}, for sums too large for a {@code long}. */
    public boolean exceeded(BigInteger diffMilli, BigInteger purchaseMilli) {
        return tolerances.exceeded(diffMilli, purchaseMilli);
    }
}
