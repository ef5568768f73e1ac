package io.tally.infra;

import io.tally.names.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.events.Rule;
import software.constructs.Construct;

/**
 * One dashboard: runs, rows, rejected rows, keys by status, chicken loss, range and reduce durations, queue
 * depths, Glue job runs, and the Sheets export and publish.
 */
final class OpsDashboard extends Construct {
    /**
     * @param metrics     the Tally metrics
     * @param queues      each work queue by its short name
     * @param glueStates  the rule that matches every state change of the Glue job
     * @param glueFailures the rule that matches its failures
     */
    record Props(TallyMetrics metrics, Map<String, WorkQueue> queues, Rule glueStates, Rule glueFailures) {}

    OpsDashboard(Construct scope, String id, Props props) {
        super(scope, id);
        TallyMetrics m = props.metrics();
        Duration hour = Duration.hours(1);
        Duration five = Duration.minutes(5);
        List<IMetric> depth = new ArrayList<>();
        props.queues().forEach((name, q) -> {
            depth.add(q.queue()
                    .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                            .label(name)
                            .statistic("Maximum")
                            .period(five)
                            .build()));
            depth.add(q.deadLetters()
                    .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                            .label(name + " DLQ")
                            .statistic("Maximum")
                            .period(five)
                            .build()));
        });
        List<IWidget> row1 = List.of(
                graph(
                        "Runs",
                        m.of(MetricNames.RUNS_SUCCEEDED, "Sum", hour),
                        m.of(MetricNames.RUNS_FAILED, "Sum", hour),
                        m.of(MetricNames.STALLED_RUNS, "Maximum", hour)),
                graph("Rows", m.of(MetricNames.ROWS_READ, "Sum", hour), m.of(MetricNames.ROWS_REJECTED, "Sum", hour)),
                graph(
                        "Keys by status",
                        m.of(MetricNames.KEYS_OK, "Maximum", hour),
                        m.of(MetricNames.KEYS_DISCREPANCY, "Maximum", hour),
                        m.of(MetricNames.KEYS_MISSING_INVENTORY, "Maximum", hour),
                        m.of(MetricNames.KEYS_MISSING_PURCHASE, "Maximum", hour)),
                graph("Chicken loss (kg)", m.of(MetricNames.CHICKEN_LOSS_KG, "Maximum", hour)));
        List<IWidget> row2 = List.of(
                graph(
                        "Range and reduce durations (ms)",
                        m.of(MetricNames.RANGE_DURATION, "p50", five),
                        m.of(MetricNames.RANGE_DURATION, "p95", five),
                        m.of(MetricNames.RANGE_DURATION, "Maximum", five),
                        m.of(MetricNames.REDUCE_DURATION, "Maximum", five),
                        m.of(MetricNames.RUN_DURATION, "Maximum", five)),
                graph("Queue depth", depth.toArray(IMetric[]::new)),
                graph(
                        "Glue job runs (state changes, failures)",
                        matched(props.glueStates(), "state changes"),
                        matched(props.glueFailures(), "failures")),
                graph(
                        "Sheets export and publish",
                        m.of(MetricNames.SHEETS_EXPORTS, "Sum", hour),
                        m.of(MetricNames.SHEETS_ROWS_EXPORTED, "Sum", hour),
                        m.of(MetricNames.SHEETS_PUBLISHED, "Sum", hour),
                        m.of(MetricNames.HOURS_SINCE_UPLOAD, "Maximum", hour)));
        Dashboard.Builder.create(this, "Dashboard").widgets(List.of(row1, row2)).build();
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(List.of(metrics))
                .width(6)
                .build();
    }

    /** EventBridge's count of events a rule matched. */
    private static Metric matched(Rule rule, String label) {
        return Metric.Builder.create()
                .namespace("AWS/Events")
                .metricName("MatchedEvents")
                .dimensionsMap(Map.of("RuleName", rule.getRuleName()))
                .statistic("Sum")
                .period(Duration.hours(1))
                .label(label)
                .build();
    }
}
