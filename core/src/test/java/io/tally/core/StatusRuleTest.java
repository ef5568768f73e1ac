package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StatusRuleTest {
    private final StatusRule rule = new StatusRule(Tolerances.DEFAULT, true);

    private static KeyResult.Side side(long birds, long chicken, long gizzard) {
        return new KeyResult.Side(true, birds, chicken, gizzard, 0);
    }

    @Test
    void missingSides_comeFirst_inDataMdsOrder() {
        assertThat(rule.decide(side(1, 1, 1), KeyResult.Side.ABSENT)).isEqualTo(Status.MISSING_INVENTORY);
        assertThat(rule.decide(KeyResult.Side.ABSENT, side(1, 1, 1))).isEqualTo(Status.MISSING_PURCHASE);
    }

    @Test
    void birdDifference_isADiscrepancy_whateverTheWeights() {
        assertThat(rule.decide(side(10, 1000, 0), side(9, 1000, 0))).isEqualTo(Status.DISCREPANCY);
    }

    @Test
    void chickenLoss_isADiscrepancy_onlyStrictlyOverTheLargerTolerance() {
        // 100 kg bought: 2% is 2 kg, larger than 0.5 kg.
        assertThat(rule.decide(side(1, 100_000, 0), side(1, 98_000, 0))).isEqualTo(Status.OK);
        assertThat(rule.decide(side(1, 100_000, 0), side(1, 97_999, 0))).isEqualTo(Status.DISCREPANCY);
        // 10 kg bought: 2% is 0.2 kg, so 0.5 kg rules.
        assertThat(rule.decide(side(1, 10_000, 0), side(1, 9_500, 0))).isEqualTo(Status.OK);
        assertThat(rule.decide(side(1, 10_000, 0), side(1, 10_501, 0))).isEqualTo(Status.DISCREPANCY);
    }

    @Test
    void gizzard_countsOnlyWhenCompared() {
        KeyResult.Side p = side(1, 10_000, 5_000);
        KeyResult.Side i = side(1, 10_000, 1_000);
        assertThat(rule.decide(p, i)).isEqualTo(Status.DISCREPANCY);
        assertThat(new StatusRule(Tolerances.DEFAULT, false).decide(p, i)).isEqualTo(Status.OK);
    }

    @Test
    void tolerances_areTheConfiguredOnes() {
        StatusRule strict = new StatusRule(new Tolerances(BigDecimal.ZERO, BigDecimal.ZERO), true);
        assertThat(strict.decide(side(1, 10_000, 0), side(1, 9_999, 0))).isEqualTo(Status.DISCREPANCY);
    }
}
