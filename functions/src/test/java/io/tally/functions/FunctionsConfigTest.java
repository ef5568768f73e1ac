package io.tally.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.core.DateOrder;
import io.tally.names.Env;
import io.tally.storage.run.Tier;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionsConfigTest {
    @Test
    void fromEnv_usesDefaults() {
        FunctionsConfig c = FunctionsConfig.fromEnv(Map.of(Env.BUCKET, "b", Env.RANGE_QUEUE_URL, "q"));
        assertThat(c.inlineMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.rangeBytes()).isEqualTo(64L << 20);
        assertThat(c.glueMinBytes()).isEqualTo(20L << 30);
        assertThat(c.dateOrder()).isEqualTo(DateOrder.DAY_FIRST);
        assertThat(c.forceTier()).isEmpty();
    }

    @Test
    void fromEnv_readsEverySetting() {
        FunctionsConfig c = FunctionsConfig.fromEnv(Map.of(
                Env.BUCKET,
                "b",
                Env.RANGE_QUEUE_URL,
                "q",
                Env.INLINE_MAX_BYTES,
                "10",
                Env.RANGE_BYTES,
                "20",
                Env.GLUE_MIN_BYTES,
                "30",
                Env.TOLERANCE_KG,
                "1.5",
                Env.TOLERANCE_PCT,
                "3",
                Env.DATE_ORDER,
                "month-first",
                Env.FORCE_TIER,
                "fanout"));
        assertThat(c.inlineMaxBytes()).isEqualTo(10);
        assertThat(c.rangeBytes()).isEqualTo(20);
        assertThat(c.glueMinBytes()).isEqualTo(30);
        assertThat(c.tolerances().kg()).isEqualByComparingTo("1.5");
        assertThat(c.dateOrder()).isEqualTo(DateOrder.MONTH_FIRST);
        assertThat(c.forceTier()).isEqualTo(Optional.of(Tier.FANOUT));
    }

    @Test
    void fromEnv_namesTheBadSetting() {
        assertThatThrownBy(() -> FunctionsConfig.fromEnv(Map.of(Env.RANGE_QUEUE_URL, "q")))
                .hasMessageContaining(Env.BUCKET);
        assertThatThrownBy(() -> FunctionsConfig.fromEnv(Map.of(Env.BUCKET, "b", Env.RANGE_BYTES, "lots")))
                .hasMessageContaining(Env.RANGE_BYTES);
        assertThatThrownBy(() -> FunctionsConfig.fromEnv(Map.of(Env.BUCKET, "b", Env.FORCE_TIER, "huge")))
                .hasMessageContaining("huge");
        assertThatThrownBy(() -> FunctionsConfig.fromEnv(Map.of(Env.BUCKET, "b", Env.TOLERANCE_KG, "1e999999999")))
                .hasMessageContaining("tolerance kg must be at most");
    }
}
