package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.names.MetricNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The alarm topic, every alarm, the dashboard, and the seam with the metrics the functions emit. */
class AlarmsTest {
    private final Stacks.Built built = Stacks.full();
    private final Template template = built.template();

    @Test
    void topic_isEncryptedWithAKeyCloudWatchMayUse_andMailsTheAddressFromContext() {
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
        template.hasResourceProperties(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "EnableKeyRotation",
                        true,
                        "KeyPolicy",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Principal",
                                                Map.of("Service", Match.arrayWith(List.of("cloudwatch.amazonaws.com"))),
                                        "Action", Match.arrayWith(List.of("kms:Decrypt")))))))))));
        template.hasResourceProperties(
                "AWS::SNS::Subscription", Match.objectLike(Map.of("Protocol", "email", "Endpoint", "ops@example.com")));
    }

    @Test
    void everyAlarm_notifiesTheTopic() {
        Object topic = Map.of("Ref", built.id(built.stack().topic().topic()));
        template.allResourcesProperties(
                "AWS::CloudWatch::Alarm", Match.objectLike(Map.of("AlarmActions", List.of(topic))));
        // 3 DLQs, 4 failed-event queues, errors and throttles of 7 functions, worker p95, range age, the Glue
        // failure, and 6 on Tally's metrics.
        template.resourceCountIs("AWS::CloudWatch::Alarm", 3 + 4 + 14 + 1 + 1 + 1 + 6);
    }

    @Test
    void aGlueJobFailure_alarmsOnTheFailureRulesMatchedEvents() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        "AWS/Events",
                        "MetricName",
                        "MatchedEvents",
                        "Dimensions",
                        List.of(Map.of(
                                "Name",
                                "RuleName",
                                "Value",
                                Map.of("Ref", built.id(built.stack().triggers().glueFailures())))),
                        "Statistic",
                        "Sum",
                        "Threshold",
                        1,
                        "ComparisonOperator",
                        "GreaterThanOrEqualToThreshold",
                        "TreatMissingData",
                        "notBreaching")));
    }

    @Test
    void everyFailedEventsQueue_alarmsOnOneMessage() {
        for (String id : List.of("Planner", "GlueState", "Watchdog", "SheetsExport")) {
            template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of(
                            "Namespace",
                            "AWS/SQS",
                            "MetricName",
                            "ApproximateNumberOfMessagesVisible",
                            "Dimensions",
                            List.of(Map.of(
                                    "Name",
                                    "QueueName",
                                    "Value",
                                    Map.of(
                                            "Fn::GetAtt",
                                            List.of(
                                                    built.id(
                                                            built.stack()
                                                                    .functions()
                                                                    .get(id)
                                                                    .failedEvents()
                                                                    .orElseThrow()),
                                                    "QueueName")))),
                            "Threshold",
                            1)));
        }
    }

    @Test
    void everyDeadLetterQueue_alarmsOnOneMessage() {
        for (WorkQueue q : List.of(
                built.stack().rangeQueue(),
                built.stack().reduceQueue(),
                built.stack().publishQueue().orElseThrow())) {
            template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of(
                            "Namespace",
                            "AWS/SQS",
                            "MetricName",
                            "ApproximateNumberOfMessagesVisible",
                            "Dimensions",
                            List.of(Map.of(
                                    "Name",
                                    "QueueName",
                                    "Value",
                                    Map.of("Fn::GetAtt", List.of(built.id(q.deadLetters()), "QueueName")))),
                            "Threshold",
                            1,
                            "ComparisonOperator",
                            "GreaterThanOrEqualToThreshold")));
        }
    }

    @Test
    void everyFunction_alarmsOnErrorsAndThrottles() {
        for (TallyFunction f : built.stack().functions().values()) {
            for (String metric : List.of("Errors", "Throttles")) {
                template.hasResourceProperties(
                        "AWS::CloudWatch::Alarm",
                        Match.objectLike(Map.of(
                                "Namespace",
                                "AWS/Lambda",
                                "MetricName",
                                metric,
                                "Dimensions",
                                List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", built.id(f.function())))),
                                "Threshold",
                                1)));
            }
        }
    }

    @Test
    void workerP95Duration_alarmsAt80PercentOfItsTimeout() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        "AWS/Lambda",
                        "MetricName",
                        "Duration",
                        "ExtendedStatistic",
                        "p95",
                        "Dimensions",
                        List.of(Map.of(
                                "Name",
                                "FunctionName",
                                "Value",
                                Map.of(
                                        "Ref",
                                        built.id(built.stack()
                                                .functions()
                                                .get("Worker")
                                                .function())))),
                        "Threshold",
                        Sizes.WORKER.timeout().toMilliseconds().doubleValue() * 0.8,
                        "ComparisonOperator",
                        "GreaterThanThreshold")));
    }

    @Test
    void rangeQueuesOldestMessage_alarmsAtTheAgeFromContext() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        "AWS/SQS",
                        "MetricName",
                        "ApproximateAgeOfOldestMessage",
                        "Dimensions",
                        List.of(Map.of(
                                "Name",
                                "QueueName",
                                "Value",
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(
                                                built.id(
                                                        built.stack()
                                                                .rangeQueue()
                                                                .queue()),
                                                "QueueName")))),
                        "Threshold",
                        600)));
    }

    @Test
    void noSuccessfulRunIn26Hours_alarms_missingDataBreaching() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        MetricNames.NAMESPACE,
                        "MetricName",
                        MetricNames.RUNS_SUCCEEDED,
                        "Statistic",
                        "Sum",
                        "Period",
                        3600,
                        "EvaluationPeriods",
                        26,
                        "DatapointsToAlarm",
                        26,
                        "Threshold",
                        1,
                        "ComparisonOperator",
                        "LessThanThreshold",
                        "TreatMissingData",
                        "breaching")));
    }

    @Test
    void trackerNotUploaded_alarmsOnTheWatchdogsHoursSinceUpload_pastTheThresholdFromContext() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        MetricNames.NAMESPACE,
                        "MetricName",
                        MetricNames.HOURS_SINCE_UPLOAD,
                        "Threshold",
                        30,
                        "ComparisonOperator",
                        "GreaterThanThreshold",
                        "TreatMissingData",
                        "breaching")));
    }

    @Test
    void businessAlarms_useTheThresholdsFromContext() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        MetricNames.NAMESPACE,
                        "MetricName",
                        MetricNames.CHICKEN_LOSS_KG,
                        "Threshold",
                        250.5,
                        "ComparisonOperator",
                        "GreaterThanThreshold")));
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        MetricNames.NAMESPACE,
                        "MetricName",
                        MetricNames.KEYS_DISCREPANCY,
                        "Threshold",
                        40,
                        "ComparisonOperator",
                        "GreaterThanThreshold")));
    }

    @Test
    void alarmsOnTallyMetrics_useEmittedNames_andTheRollupDimensionSet() {
        Map<String, Map<String, Object>> tally = template.findResources(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Namespace", MetricNames.NAMESPACE)))));
        assertThat(tally).hasSize(6);
        for (String name : List.of(
                MetricNames.RUNS_SUCCEEDED,
                MetricNames.RUNS_FAILED,
                MetricNames.STALLED_RUNS,
                MetricNames.HOURS_SINCE_UPLOAD,
                MetricNames.CHICKEN_LOSS_KG,
                MetricNames.KEYS_DISCREPANCY)) {
            assertThat(MetricNames.ALL).contains(name);
        }
        // The rollup set is empty, so an alarm on it carries no Dimensions at all; and every name is emitted.
        assertThat(MetricNames.ROLLUP_DIMENSIONS).isEmpty();
        assertThat(template.findResources(
                        "AWS::CloudWatch::Alarm",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "Namespace",
                                        MetricNames.NAMESPACE,
                                        "Dimensions",
                                        Match.absent(),
                                        "MetricName",
                                        Match.stringLikeRegexp("^(" + String.join("|", MetricNames.ALL) + ")$")))))))
                .hasSize(6);
    }

    @Test
    void alarmsAndDashboard_askOnlyForMetricsTheFunctionsEmit() {
        assertThat(built.stack().metrics().used()).isNotEmpty().allSatisfy(n -> assertThat(MetricNames.ALL)
                .contains(n));
        assertThat(built.stack().metrics().used())
                .contains(
                        MetricNames.ROWS_REJECTED,
                        MetricNames.KEYS_OK,
                        MetricNames.RANGE_DURATION,
                        MetricNames.SHEETS_EXPORTS,
                        MetricNames.SHEETS_PUBLISHED);
        assertThatThrownBy(() -> new TallyMetrics().of("RowsReed", "Sum", Duration.hours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RowsReed");
    }

    @Test
    void dashboard_showsRunsRowsKeysLossDurationsQueuesGlueAndSheets() {
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        for (String title : List.of(
                "Runs",
                "Rows",
                "Keys by status",
                "Chicken loss",
                "Range and reduce durations",
                "Queue depth",
                "Glue job runs",
                "Sheets export and publish")) {
            template.hasResourceProperties(
                    "AWS::CloudWatch::Dashboard",
                    Match.objectLike(Map.of(
                            "DashboardBody",
                            Map.of(
                                    "Fn::Join",
                                    List.of(
                                            "",
                                            Match.arrayWith(List.of(
                                                    Match.stringLikeRegexp(".*\"title\":\"" + title + ".*"))))))));
        }
    }
}
