package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunIdTest {
    @Test
    void runId_isTheFirst16HexDigitsOfTheSha256OfItsBasis() {
        String id = RunId.of(List.of("a", "b"), Tolerances.DEFAULT, DateOrder.DAY_FIRST);
        assertThat(id)
                .isEqualTo(Digests.sha256Hex("a|b|0.5|2.0|day-first".getBytes(StandardCharsets.UTF_8))
                        .substring(0, 16));
    }

    @Test
    void sameInputsAndOptions_sameId_anyOptionChanged_anotherId() {
        String id = RunId.of(List.of("k", "e"), Tolerances.DEFAULT, DateOrder.DAY_FIRST);
        assertThat(RunId.of(List.of("k", "e"), Tolerances.DEFAULT, DateOrder.DAY_FIRST))
                .isEqualTo(id);
        assertThat(RunId.of(List.of("k", "e"), Tolerances.DEFAULT, DateOrder.MONTH_FIRST))
                .isNotEqualTo(id);
        assertThat(RunId.of(
                        List.of("k", "e"),
                        new Tolerances(new BigDecimal("0.6"), new BigDecimal("2.0")),
                        DateOrder.DAY_FIRST))
                .isNotEqualTo(id);
        assertThat(RunId.of(List.of("k", "f"), Tolerances.DEFAULT, DateOrder.DAY_FIRST))
                .isNotEqualTo(id);
    }
}
