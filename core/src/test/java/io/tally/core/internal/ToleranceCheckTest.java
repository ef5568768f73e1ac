package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.Tolerances;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The integer fast path agrees with the exact decimal definition everywhere, overflow range included. */
class ToleranceCheckTest {
    @Property(tries = 2000)
    void exceeded_agreesWithTheDecimalDefinition(
            @ForAll("tolerances") Tolerances t, @ForAll("milli") long diff, @ForAll("milli") long purchase) {
        long p = purchase == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(purchase);
        assertThat(new ToleranceCheck(t).exceeded(diff, p)).isEqualTo(t.exceeded(diff, p));
    }

    @Test
    void sixDecimalPercentage_largeWeights_agreeWithTheDecimalDefinition() {
        Tolerances t = new Tolerances(new BigDecimal("0.5"), new BigDecimal("2.000001"));
        for (long[] c : new long[][] {
            {200_000_000_000L, 1_000_000_000_000L},
            {20_000_002_000L, 1_000_000_000_000L},
            {200_000_000_000_000L, 1_000_000_000_000_000L}
        }) {
            assertThat(new ToleranceCheck(t).exceeded(c[0], c[1]))
                    .as("%s on %s", c[0], c[1])
                    .isEqualTo(t.exceeded(c[0], c[1]));
        }
    }

    @Provide
    Arbitrary<Tolerances> tolerances() {
        Arbitrary<BigDecimal> kg = Arbitraries.of("0", "0.5", "0.001", "1", "12.3456789", "0.0005", "1000000000000")
                .map(BigDecimal::new);
        Arbitrary<BigDecimal> listed = Arbitraries.of(
                        "0",
                        "2.0",
                        "2",
                        "0.5",
                        "0.1234567",
                        "100",
                        "33.333",
                        "1000000",
                        "2.000001",
                        "99.999999",
                        "0.000001",
                        "999999.999999")
                .map(BigDecimal::new);
        // Any percentage with up to 6 decimals: the precision at which the fast path's products grow largest.
        Arbitrary<BigDecimal> sixDecimals =
                Arbitraries.longs().between(0, 999_999_999_999L).map(v -> BigDecimal.valueOf(v, 6));
        Arbitrary<BigDecimal> pct = Arbitraries.oneOf(listed, sixDecimals);
        return net.jqwik.api.Combinators.combine(kg, pct).as(Tolerances::new);
    }

    @Provide
    Arbitrary<Long> milli() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-5_000_000, 5_000_000),
                Arbitraries.longs().between(-(1L << 50), 1L << 50),
                Arbitraries.longs().between(-(1L << 62), 1L << 62),
                Arbitraries.of(
                        0L,
                        500L,
                        501L,
                        499L,
                        2000L,
                        200_000_000_000L,
                        1_000_000_000_000L,
                        200_000_000_000_000L,
                        1_000_000_000_000_000L,
                        Long.MAX_VALUE,
                        Long.MAX_VALUE / 100));
    }
}
