package io.tally.infra;

import io.tally.names.BucketKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Match;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.constructs.Construct;

/**
 * What starts the functions apart from their queues: the upload rule (S3 Object Created under
 * {@code incoming/}, through EventBridge), the Glue state-change rule, the watchdog's schedule and the Sheets
 * export's schedule; and the Glue failure rule, which tells the alarm topic directly.
 */
final class Triggers extends Construct {
    /**
     * The states of a "Glue Job State Change" event that mean the run failed (GlueState fails the run on
     * each). The event carries SUCCEEDED, FAILED, TIMEOUT or STOPPED; ERROR is a GetJobRun state only.
     */
    static final List<String> GLUE_FAILED_STATES = List.of("FAILED", "TIMEOUT", "STOPPED");

    /**
     * @param bucket         the data bucket
     * @param planner        invoked on each upload under {@code incoming/}
     * @param glueState      invoked on each state change of the Glue job
     * @param glueJobName    the Glue job
     * @param watchdog       invoked every {@code watchdogMinutes}
     * @param watchdogMinutes how often the watchdog runs
     * @param export         the Sheets export, when the Sheets part is deployed
     * @param exportCron     the export's cron, read in {@code exportTimezone}
     * @param exportTimezone an IANA time zone
     * @param alarms         where the Glue failure rule sends its message
     */
    record Props(
            IBucket bucket,
            IFunction planner,
            IFunction glueState,
            String glueJobName,
            IFunction watchdog,
            int watchdogMinutes,
            Optional<IFunction> export,
            String exportCron,
            String exportTimezone,
            AlarmTopic alarms) {}

    private final Rule uploads;
    private final Rule glueStates;
    private final Rule glueFailures;

    Triggers(Construct scope, String id, Props props) {
        super(scope, id);
        // Through EventBridge rather than a direct notification: no custom resource is needed to configure the
        // bucket, and the handler takes both shapes (events/eventbridge-object-created.json, s3-notification.json).
        uploads = Rule.Builder.create(this, "Uploads")
                .description("Tally: a tracker uploaded under " + BucketKeys.INCOMING + " starts the planner")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.s3"))
                        .detailType(List.of("Object Created"))
                        .detail(Map.of(
                                "bucket",
                                Map.of("name", List.of(props.bucket().getBucketName())),
                                "object",
                                Map.of("key", Match.prefix(BucketKeys.INCOMING))))
                        .build())
                .targets(List.of(new LambdaFunction(props.planner())))
                .build();
        glueStates = Rule.Builder.create(this, "GlueStates")
                .description("Tally: the Glue job's state changes finish its runs")
                .eventPattern(glueJob(props.glueJobName(), Optional.empty()))
                .targets(List.of(new LambdaFunction(props.glueState())))
                .build();
        // The notification itself: it fires on the event, with Glue's message, and needs no metric to exist.
        glueFailures = Rule.Builder.create(this, "GlueFailures")
                .description("Tally: a Glue job run that failed, timed out or was stopped tells the alarm topic")
                .eventPattern(glueJob(props.glueJobName(), Optional.of(GLUE_FAILED_STATES)))
                // An object, not text: EventBridge then inserts each value as JSON, so Glue's message may hold
                // quotes without breaking the notification.
                .targets(List.of(props.alarms()
                        .publishFrom(RuleTargetInput.fromObject(Map.of(
                                "tally", "a Glue job run failed; its run is failed too (see runs/{runId}/status.json)",
                                "jobName", EventField.fromPath("$.detail.jobName"),
                                "jobRunId", EventField.fromPath("$.detail.jobRunId"),
                                "state", EventField.fromPath("$.detail.state"),
                                "message", EventField.fromPath("$.detail.message"))))))
                .build();
        // A scheduled rule sends the event the watchdog reads its time from (events/scheduled-event.json).
        Rule.Builder.create(this, "Watchdog")
                .description("Tally: the watchdog fails stalled runs and reports trackers that stopped arriving")
                .schedule(Schedule.rate(Duration.minutes(props.watchdogMinutes())))
                .targets(List.of(new LambdaFunction(props.watchdog())))
                .build();
        props.export().ifPresent(export -> exportSchedule(export, props.exportCron(), props.exportTimezone()));
    }

    /**
     * EventBridge Scheduler rather than a scheduled rule: a rule's cron is UTC only, and the export should run
     * at a local hour whatever daylight saving does.
     */
    private void exportSchedule(IFunction export, String cron, String timezone) {
        Role invoker = Role.Builder.create(this, "ExportSchedulerRole")
                // Only schedules of this account: the confused-deputy guard Scheduler documents.
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com")
                        .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .description("Tally: EventBridge Scheduler invokes the Sheets export")
                .build();
        invoker.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(export.getFunctionArn()))
                .build());
        CfnSchedule.Builder.create(this, "Export")
                .description("Tally: exports both trackers from Google Sheets into " + BucketKeys.INCOMING)
                .scheduleExpression(cron)
                .scheduleExpressionTimezone(timezone)
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder()
                        .mode("OFF")
                        .build())
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(export.getFunctionArn())
                        .roleArn(invoker.getRoleArn())
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(2)
                                .maximumEventAgeInSeconds(3600)
                                .build())
                        .build())
                .build();
    }

    private static EventPattern glueJob(String jobName, Optional<List<String>> states) {
        Map<String, Object> detail = states.<Map<String, Object>>map(
                        s -> Map.of("jobName", List.of(jobName), "state", s))
                .orElse(Map.of("jobName", List.of(jobName)));
        return EventPattern.builder()
                .source(List.of("aws.glue"))
                .detailType(List.of("Glue Job State Change"))
                .detail(detail)
                .build();
    }

    Rule uploads() {
        return uploads;
    }

    Rule glueStates() {
        return glueStates;
    }

    Rule glueFailures() {
        return glueFailures;
    }
}
