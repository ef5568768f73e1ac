package io.tally.functions.obs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.core.Status;
import io.tally.functions.run.Json;
import io.tally.names.MetricNames;
import io.tally.storage.run.Tier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EMF line carries both dimension sets the stack relies on: {function, tier} and the rollup with none. */
class TelemetryTest {

    @Test
    void metrics_whenFlushed_emitTheDetailedAndTheRollupDimensionSets() throws Exception {
        List<String> lines = new ArrayList<>();

        Telemetry.to(lines::add)
                .metrics("reducer", Tier.FANOUT, "run-1")
                .count(MetricNames.RUNS_SUCCEEDED, 1)
                .flush();

        assertThat(lines).hasSize(1);
        JsonNode line = Json.MAPPER.readTree(lines.get(0));
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo(MetricNames.NAMESPACE);
        List<List<String>> sets = new ArrayList<>();
        directive.path("Dimensions").forEach(set -> {
            List<String> keys = new ArrayList<>();
            set.forEach(k -> keys.add(k.asText()));
            sets.add(keys);
        });
        assertThat(sets).containsExactlyInAnyOrder(MetricNames.DIMENSIONS, MetricNames.ROLLUP_DIMENSIONS);
        assertThat(directive.path("Metrics").get(0).path("Name").asText()).isEqualTo(MetricNames.RUNS_SUCCEEDED);
        assertThat(line.path(MetricNames.DIM_FUNCTION).asText()).isEqualTo("reducer");
        assertThat(line.path(MetricNames.DIM_TIER).asText()).isEqualTo("FANOUT");
        assertThat(line.path(MetricNames.RUNS_SUCCEEDED).asDouble()).isEqualTo(1.0);
    }

    @Test
    void keysMetrics_forEveryStatus_areNamedMetrics() {
        for (Status s : Status.values()) {
            assertThat(MetricNames.ALL).contains(MetricNames.keys(s.name()));
        }
    }
}
