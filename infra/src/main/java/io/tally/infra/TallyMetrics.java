package io.tally.infra;

import io.tally.names.MetricNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The only way the stack refers to a metric the functions emit: by a {@link MetricNames} constant, in the
 * {@code Tally} namespace, under the rollup dimension set (none), which {@code Telemetry} emits for every
 * metric whichever function or tier it comes from. A name the functions do not emit is refused.
 */
final class TallyMetrics {
    private final List<String> used = new ArrayList<>();

    /** {@code name}'s {@code statistic} over {@code period}. */
    Metric of(String name, String statistic, Duration period) {
        if (!MetricNames.ALL.contains(name)) {
            throw new IllegalArgumentException("the functions emit no metric " + name + " (see MetricNames)");
        }
        used.add(name);
        // No dimensionsMap: the rollup set, MetricNames.ROLLUP_DIMENSIONS, is empty.
        return Metric.Builder.create()
                .namespace(MetricNames.NAMESPACE)
                .metricName(name)
                .statistic(statistic)
                .period(period)
                .build();
    }

    /** Every metric name asked for so far, for the tests. */
    List<String> used() {
        return Collections.unmodifiableList(used);
    }
}
