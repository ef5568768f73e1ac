package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.Tolerances;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The integer fast path agrees with the exact decimal definition everywhere, overflow range included. */
class ToleranceCheckTest {
    @Property(tries = 2000)
    void exceeded_agreesWithTheDecimalDefinition(@ForAll("tolerances") Tolerances t, @ForAll("milli") long diff,
            @ForAll("milli") long purchase) {
        long p = Math.abs(purchase);
        assertThat(new ToleranceCheck(t).exceeded(diff, p)).isEqualTo(t.exceeded(diff, p));
    }

    @Provide
    Arbitrary<Tolerances> tolerances() {
        Arbitrary<BigDecimal> kg = Arbitraries.of("0", "0.5", "0.001", "1", "12.3456789", "0.0005", "1000000000000")
                .map(BigDecimal::new);
        Arbitrary<BigDecimal> pct = Arbitraries.of("0", "2.0", "2", "0.5", "0.1234567", "100", "33.333", "1000000")
                .map(BigDecimal::new);
        return net.jqwik.api.Combinators.combine(kg, pct).as(Tolerances::new);
    }

    @Provide
    Arbitrary<Long> milli() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-5_000_000, 5_000_000),
                Arbitraries.longs().between(-(1L << 50), 1L << 50), Arbitraries.of(0L, 500L, 501L, 499L, 2000L));
    }
}
