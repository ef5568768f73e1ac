package io.tally.infra;

import io.tally.names.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.IRule;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * Every alarm, each telling the alarm topic: dead letters, function errors and throttles, the worker's p95
 * duration, the range queue's oldest message, runs failing or not succeeding, stalled runs, trackers not
 * uploaded, a Glue job run failing, and the business thresholds (chicken loss, DISCREPANCY keys). docs/operations.md
 * ("Alarms") says what each means and what to do.
 */
final class Alarms extends Construct {
    /** Alarm when the worker's p95 duration passes this share of its timeout. */
    static final double WORKER_P95_SHARE = 0.8;
    /** No successful run for this many hours alarms. */
    static final int NO_SUCCESS_HOURS = 26;

    /**
     * @param topic         the alarm topic
     * @param functions     each function by its short name
     * @param worker        the chunk worker, for its duration alarm
     * @param queues        each work queue by its short name
     * @param rangeQueue    the range queue, for its oldest message's age
     * @param glueFailures  the rule matching the Glue job's failed runs ({@link Triggers})
     * @param metrics       the Tally metrics
     * @param settings      the thresholds
     */
    record Props(
            ITopic topic,
            Map<String, TallyFunction> functions,
            TallyFunction worker,
            Map<String, WorkQueue> queues,
            WorkQueue rangeQueue,
            IRule glueFailures,
            TallyMetrics metrics,
            Settings settings) {}

    private final List<Alarm> all = new ArrayList<>();
    private final SnsAction action;

    Alarms(Construct scope, String id, Props props) {
        super(scope, id);
        action = new SnsAction(props.topic());
        Duration fiveMinutes = Duration.minutes(5);
        Duration hour = Duration.hours(1);
        props.queues()
                .forEach((name, q) -> add(
                        name + "DeadLetters",
                        "Messages in the " + name + " dead-letter queue: a message failed every delivery",
                        q.deadLetters()
                                .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                        .statistic("Maximum")
                                        .period(fiveMinutes)
                                        .build()),
                        1,
                        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                        1,
                        TreatMissingData.NOT_BREACHING));
        props.functions().forEach((name, f) -> f.failedEvents()
                .ifPresent(q -> add(
                        name + "FailedEvents",
                        "An event for the " + name + " function failed all of Lambda's retries and waits in its queue",
                        q.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                .statistic("Maximum")
                                .period(fiveMinutes)
                                .build()),
                        1,
                        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                        1,
                        TreatMissingData.NOT_BREACHING)));
        props.functions().forEach((name, f) -> {
            add(
                    name + "Errors",
                    "The " + name + " function failed an invocation",
                    f.function()
                            .metricErrors(MetricOptions.builder()
                                    .statistic("Sum")
                                    .period(fiveMinutes)
                                    .build()),
                    1,
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    1,
                    TreatMissingData.NOT_BREACHING);
            add(
                    name + "Throttles",
                    "The " + name + " function was throttled",
                    f.function()
                            .metricThrottles(MetricOptions.builder()
                                    .statistic("Sum")
                                    .period(fiveMinutes)
                                    .build()),
                    1,
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    1,
                    TreatMissingData.NOT_BREACHING);
        });
        double workerTimeoutMs =
                props.worker().function().getTimeout().toMilliseconds().doubleValue();
        add(
                "WorkerDurationP95",
                "The chunk worker's p95 duration is over 80% of its timeout",
                props.worker()
                        .function()
                        .metricDuration(MetricOptions.builder()
                                .statistic("p95")
                                .period(fiveMinutes)
                                .build()),
                WORKER_P95_SHARE * workerTimeoutMs,
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                1,
                TreatMissingData.NOT_BREACHING);
        add(
                "RangeQueueAge",
                "The range queue's oldest message is older than the threshold: workers are behind",
                props.rangeQueue()
                        .queue()
                        .metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                                .statistic("Maximum")
                                .period(fiveMinutes)
                                .build()),
                props.settings().rangeAgeAlarmSeconds(),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                1,
                TreatMissingData.NOT_BREACHING);
        // The rule's own count of matched events: the alarm fires on the event, whatever Glue's job metrics do.
        add(
                "GlueJobFailed",
                "A Glue job run ended FAILED, TIMEOUT or STOPPED (the alarm topic also got Glue's message)",
                Metric.Builder.create()
                        .namespace("AWS/Events")
                        .metricName("MatchedEvents")
                        .dimensionsMap(Map.of("RuleName", props.glueFailures().getRuleName()))
                        .statistic("Sum")
                        .period(fiveMinutes)
                        .build(),
                1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                TreatMissingData.NOT_BREACHING);
        TallyMetrics m = props.metrics();
        // 26 hourly periods, all without a success: a daily run may come a little late, never a whole day.
        // Missing data breaches: no RunsSucceeded datapoint at all is exactly "no successful run".
        add(
                "NoSuccessfulRun",
                "No run succeeded within " + NO_SUCCESS_HOURS + " hours",
                m.of(MetricNames.RUNS_SUCCEEDED, "Sum", hour),
                1,
                ComparisonOperator.LESS_THAN_THRESHOLD,
                NO_SUCCESS_HOURS,
                TreatMissingData.BREACHING);
        add(
                "RunsFailed",
                "A run failed (status.json says why and whose fault)",
                m.of(MetricNames.RUNS_FAILED, "Sum", fiveMinutes),
                1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                TreatMissingData.NOT_BREACHING);
        add(
                "StalledRuns",
                "The watchdog failed runs that stalled",
                m.of(MetricNames.STALLED_RUNS, "Maximum", fiveMinutes),
                1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                TreatMissingData.NOT_BREACHING);
        // Missing data breaches here too: the watchdog emits this every run, so silence means it is not running.
        add(
                "TrackerNotUploaded",
                "A tracker has not been uploaded for more than "
                        + props.settings().maxUploadHours() + " hours (or the watchdog is not running)",
                m.of(MetricNames.HOURS_SINCE_UPLOAD, "Maximum", hour),
                props.settings().maxUploadHours(),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                1,
                TreatMissingData.BREACHING);
        add(
                "ChickenLoss",
                "A run's total chicken loss is over " + props.settings().chickenLossKgAlarm() + " kg",
                m.of(MetricNames.CHICKEN_LOSS_KG, "Maximum", fiveMinutes),
                props.settings().chickenLossKgAlarm(),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                1,
                TreatMissingData.NOT_BREACHING);
        add(
                "DiscrepancyKeys",
                "A run has more than " + props.settings().discrepancyKeysAlarm() + " DISCREPANCY keys",
                m.of(MetricNames.KEYS_DISCREPANCY, "Maximum", fiveMinutes),
                props.settings().discrepancyKeysAlarm(),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                1,
                TreatMissingData.NOT_BREACHING);
    }

    private void add(
            String id,
            String description,
            IMetric metric,
            double threshold,
            ComparisonOperator op,
            int periods,
            TreatMissingData missing) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(op)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(action);
        all.add(alarm);
    }

    List<Alarm> all() {
        return List.copyOf(all);
    }
}
