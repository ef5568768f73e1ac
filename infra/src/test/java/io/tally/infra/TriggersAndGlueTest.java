package io.tally.infra;

import io.tally.names.BucketKeys;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The rules and schedules that start the functions, and the Glue job with its security configuration. */
class TriggersAndGlueTest {
    private final Stacks.Built built = Stacks.full();
    private final Template template = built.template();

    @Test
    void uploadsUnderIncoming_invokeThePlannersAlias() {
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "EventPattern",
                                Map.of(
                                        "source",
                                        List.of("aws.s3"),
                                        "detail-type",
                                        List.of("Object Created"),
                                        "detail",
                                        Map.of(
                                                "bucket",
                                                Map.of(
                                                        "name",
                                                        List.of(
                                                                Map.of(
                                                                        "Ref",
                                                                        built.id(
                                                                                built.stack()
                                                                                        .data()
                                                                                        .bucket())))),
                                                "object",
                                                Map.of("key", List.of(Map.of("prefix", BucketKeys.INCOMING))))),
                        "Targets", List.of(Match.objectLike(Map.of("Arn", alias("Planner")))))));
    }

    @Test
    void glueStateChangesOfOurJob_invokeTheGlueStateAlias() {
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "EventPattern",
                                Map.of(
                                        "source",
                                        List.of("aws.glue"),
                                        "detail-type",
                                        List.of("Glue Job State Change"),
                                        "detail",
                                        Map.of("jobName", List.of(job()))),
                        "Targets", List.of(Match.objectLike(Map.of("Arn", alias("GlueState")))))));
    }

    @Test
    void glueFailures_tellTheAlarmTopic() {
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "EventPattern",
                                Map.of(
                                        "source",
                                        List.of("aws.glue"),
                                        "detail-type",
                                        List.of("Glue Job State Change"),
                                        "detail",
                                        Map.of(
                                                "jobName",
                                                List.of(job()),
                                                "state",
                                                List.of("FAILED", "TIMEOUT", "STOPPED"))),
                        "Targets",
                                List.of(Match.objectLike(Map.of(
                                        "Arn",
                                        Map.of(
                                                "Ref",
                                                built.id(built.stack().topic().topic())),
                                        "InputTransformer",
                                        Match.objectLike(Map.of(
                                                "InputTemplate",
                                                Match.stringLikeRegexp(".*\"message\":<detail-message>.*")))))))));
    }

    @Test
    void watchdog_runsAtTheRateFromContext() {
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "ScheduleExpression",
                        "rate(10 minutes)",
                        "Targets",
                        List.of(Match.objectLike(Map.of("Arn", alias("Watchdog")))))));
    }

    @Test
    void sheetsExport_runsOnTheCronFromContext_inItsTimeZone() {
        template.resourceCountIs("AWS::Scheduler::Schedule", 1);
        template.hasResourceProperties(
                "AWS::Scheduler::Schedule",
                Match.objectLike(Map.of(
                        "ScheduleExpression",
                        "cron(30 5 * * ? *)",
                        "ScheduleExpressionTimezone",
                        "Africa/Lagos",
                        "FlexibleTimeWindow",
                        Map.of("Mode", "OFF"),
                        "Target",
                        Match.objectLike(Map.of("Arn", alias("SheetsExport"))))));
    }

    @Test
    void glueJob_isGlue5_withTheScalaEntryAndJar_sizedFromContext_neverRetriedByGlue() {
        template.hasResourceProperties(
                "AWS::Glue::Job",
                Match.objectLike(Map.of(
                        "GlueVersion",
                        "5.0",
                        "Command",
                        Map.of(
                                "Name",
                                "glueetl",
                                "ScriptLocation",
                                Map.of("Fn::Sub", Match.stringLikeRegexp("^s3://.*/[0-9a-f]{64}\\.scala$"))),
                        "DefaultArguments",
                        Match.objectLike(Map.of(
                                "--class",
                                GlueReconcileJob.ENTRY_CLASS,
                                "--job-language",
                                "scala",
                                "--extra-jars",
                                Map.of("Fn::Sub", Match.stringLikeRegexp("^s3://.*/[0-9a-f]{64}\\.jar$")),
                                "--region",
                                Map.of("Ref", "AWS::Region"))),
                        "WorkerType",
                        "G.2X",
                        "NumberOfWorkers",
                        25,
                        "Timeout",
                        90,
                        "MaxRetries",
                        0,
                        "SecurityConfiguration",
                        Match.anyValue())));
    }

    @Test
    void glueSecurityConfiguration_encryptsLogsBookmarksAndS3() {
        template.hasResourceProperties(
                "AWS::Glue::SecurityConfiguration",
                Match.objectLike(Map.of(
                        "EncryptionConfiguration",
                        Map.of(
                                "CloudWatchEncryption", Match.objectLike(Map.of("CloudWatchEncryptionMode", "SSE-KMS")),
                                "JobBookmarksEncryption",
                                        Match.objectLike(Map.of("JobBookmarksEncryptionMode", "CSE-KMS")),
                                "S3Encryptions", List.of(Map.of("S3EncryptionMode", "SSE-S3"))))));
    }

    private Object alias(String function) {
        return Map.of("Ref", built.id(built.stack().functions().get(function).alias()));
    }

    private Object job() {
        return Map.of("Ref", built.id(built.stack().glue().job()));
    }

    @Test
    void glueLogs_goToTwoLogGroupsOfTheStack_keptTheDaysFromContext() {
        String prefix = "/aws-glue/jobs/" + built.stack().getStackName();
        for (String stream : List.of("error", "output")) {
            template.hasResourceProperties(
                    "AWS::Logs::LogGroup",
                    Match.objectLike(Map.of(
                            "LogGroupName",
                            prefix + "/" + stream,
                            "RetentionInDays",
                            90,
                            "KmsKeyId",
                            Match.anyValue())));
        }
        template.hasResourceProperties(
                "AWS::Glue::Job",
                Match.objectLike(Map.of(
                        "DefaultArguments",
                        Match.objectLike(Map.of(
                                "--custom-logGroup-prefix",
                                prefix,
                                "--enable-continuous-cloudwatch-log",
                                Match.absent())))));
        Assertions.assertThatThrownBy(() -> Stacks.build(FunctionGrantsTest.withContext("glueLogDays", 42)))
                .hasMessageContaining("glueLogDays");
    }
}
