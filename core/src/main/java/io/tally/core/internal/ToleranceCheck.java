package io.tally.core.internal;

import io.tally.core.Tolerances;
import java.math.BigDecimal;

/**
 * {@link Tolerances#exceeded} in exact integer arithmetic for the common case, with the decimal
 * version as the fallback whenever a product could overflow or the tolerances are unusually precise.
 */
public final class ToleranceCheck {
    private static final long SAFE = 1L << 40;

    private final Tolerances tolerances;
    private final long kgMilli;
    private final long pctUnscaled;
    private final long pctDenominator;

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
        } else {
            kgMilli = -1;
            pctUnscaled = 0;
            pctDenominator = 0;
        }
    }

    /** True when {@code |diffMilli|} is strictly over the larger of the kg and the percentage tolerance. */
    public boolean exceeded(long diffMilli, long purchaseMilli) {
        long diff = Math.abs(diffMilli);
        if (kgMilli >= 0 && diff < SAFE && purchaseMilli < SAFE) {
            // diff > purchase * pct / 100  <=>  diff * 100 * 10^s > purchase * (pct * 10^s); both < 2^63 here
            return diff > kgMilli && diff * pctDenominator > purchaseMilli * pctUnscaled;
        }
        return tolerances.exceeded(diffMilli, purchaseMilli);
    }
}
