package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.names.BucketKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The bucket, its access-log bucket, and the three work queues with their dead-letter queues. */
class BucketAndQueuesTest {
    private final Stacks.Built built = Stacks.full();
    private final Template template = built.template();

    @Test
    void bucket_isEncryptedPrivateVersionedAndLogged() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "BucketEncryption",
                                Map.of(
                                        "ServerSideEncryptionConfiguration",
                                        List.of(Map.of(
                                                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "PublicAccessBlockConfiguration",
                                Map.of(
                                        "BlockPublicAcls",
                                        true,
                                        "BlockPublicPolicy",
                                        true,
                                        "IgnorePublicAcls",
                                        true,
                                        "RestrictPublicBuckets",
                                        true),
                        "VersioningConfiguration", Map.of("Status", "Enabled"),
                        "LoggingConfiguration",
                                Map.of(
                                        "DestinationBucketName",
                                        Map.of("Ref", built.id(stack().data().accessLogs())),
                                        "LogFilePrefix",
                                        "tally/"))));
    }

    @Test
    void bucket_expiresRunsAfterTheDaysFromContext() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LifecycleConfiguration",
                        Map.of(
                                "Rules",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Prefix", BucketKeys.RUNS, "ExpirationInDays", 17, "Status", "Enabled"))))))));
    }

    @Test
    void runsExpiry_leavesNoDeleteMarkersBehind_inARuleOfItsOwn() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LifecycleConfiguration",
                        Map.of(
                                "Rules",
                                Match.arrayWith(List.of(Map.of(
                                        "Id",
                                        "RunsDeleteMarkers",
                                        "Prefix",
                                        BucketKeys.RUNS,
                                        "ExpiredObjectDeleteMarker",
                                        true,
                                        "Status",
                                        "Enabled")))))));
    }

    @Test
    void accessLogs_expireAfterTheDaysFromContext() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LifecycleConfiguration",
                                Map.of(
                                        "Rules",
                                        List.of(Match.objectLike(
                                                Map.of("ExpirationInDays", 365, "Status", "Enabled")))),
                        "OwnershipControls", Match.anyValue())));
        Template shorter = Stacks.build(FunctionGrantsTest.withContext("accessLogDays", 30))
                .template();
        shorter.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LifecycleConfiguration",
                                Map.of("Rules", List.of(Match.objectLike(Map.of("ExpirationInDays", 30)))),
                        "OwnershipControls", Match.anyValue())));
    }

    @Test
    void bucket_sendsItsEventsToEventBridge_withoutACustomResource() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "NotificationConfiguration",
                        Map.of("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true)))));
        template.resourceCountIs("Custom::S3BucketNotifications", 0);
    }

    @Test
    void bucketName_isAnOutput() {
        template.hasOutput(
                "BucketName",
                Match.objectLike(
                        Map.of("Value", Map.of("Ref", built.id(stack().data().bucket())))));
    }

    @Test
    void buckets_areRetainedAndTlsOnly() {
        template.resourceCountIs("AWS::S3::Bucket", 2);
        assertThat(template.findResources("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Retain"))))
                .hasSize(2);
        assertThat(template.findResources(
                        "AWS::S3::BucketPolicy",
                        Match.objectLike(Map.of(
                                "Properties",
                                Map.of(
                                        "PolicyDocument",
                                        Map.of(
                                                "Statement",
                                                Match.arrayWith(
                                                        List.of(
                                                                Match.objectLike(
                                                                        Map.of(
                                                                                "Effect",
                                                                                "Deny",
                                                                                "Condition",
                                                                                Map.of(
                                                                                        "Bool",
                                                                                        Map.of(
                                                                                                "aws:SecureTransport",
                                                                                                "false"))))))))))))
                .hasSize(2);
    }

    @Test
    void queues_redriveAfterTheOneMaxReceiveCount_withVisibilitySixTimesTheConsumersTimeout() {
        // Three work queues with their DLQs, and the failed events of four functions invoked asynchronously.
        template.resourceCountIs("AWS::SQS::Queue", 6 + 4);
        for (Map.Entry<WorkQueue, Sizes.Size> q : Map.of(
                        stack().rangeQueue(),
                        Sizes.WORKER,
                        stack().reduceQueue(),
                        Sizes.REDUCER,
                        stack().publishQueue().orElseThrow(),
                        Sizes.SHEETS_PUBLISH)
                .entrySet()) {
            template.hasResourceProperties(
                    "AWS::SQS::Queue",
                    Match.objectLike(Map.of(
                            "RedrivePolicy",
                            Map.of(
                                    "deadLetterTargetArn",
                                    Map.of(
                                            "Fn::GetAtt",
                                            List.of(built.id(q.getKey().deadLetters()), "Arn")),
                                    "maxReceiveCount",
                                    WorkQueue.MAX_RECEIVE_COUNT),
                            "VisibilityTimeout",
                            q.getValue().timeout().toSeconds().intValue() * 6,
                            "SqsManagedSseEnabled",
                            true)));
        }
    }

    @Test
    void queues_areAllEncryptedAndTlsOnly() {
        assertThat(template.findResources(
                        "AWS::SQS::Queue",
                        Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("SqsManagedSseEnabled", true))))))
                .hasSize(10);
        assertThat(template.findResources(
                        "AWS::SQS::QueuePolicy",
                        Match.objectLike(Map.of(
                                "Properties",
                                Map.of(
                                        "PolicyDocument",
                                        Map.of(
                                                "Statement",
                                                Match.arrayWith(
                                                        List.of(
                                                                Match.objectLike(
                                                                        Map.of(
                                                                                "Effect",
                                                                                "Deny",
                                                                                "Condition",
                                                                                Map.of(
                                                                                        "Bool",
                                                                                        Map.of(
                                                                                                "aws:SecureTransport",
                                                                                                "false"))))))),
                                        "Queues",
                                        Match.anyValue())))))
                .hasSize(10);
    }

    @Test
    void eventSources_reportBatchItemFailures_withTheConcurrencyFromContext_onTheAliases() {
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 3);
        for (Map.Entry<TallyFunction, WorkQueue> e : Map.of(
                        stack().functions().get("Worker"),
                        stack().rangeQueue(),
                        stack().functions().get("Reducer"),
                        stack().reduceQueue())
                .entrySet()) {
            template.hasResourceProperties(
                    "AWS::Lambda::EventSourceMapping",
                    Match.objectLike(Map.of(
                            "EventSourceArn",
                                    Map.of(
                                            "Fn::GetAtt",
                                            List.of(built.id(e.getValue().queue()), "Arn")),
                            "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                            "ScalingConfig", Map.of("MaximumConcurrency", 7),
                            "FunctionName",
                                    Map.of(
                                            "Fn::Join",
                                            List.of("", List.of(Match.anyValue(), ":" + TallyFunction.ALIAS))))));
        }
    }

    private TallyStack stack() {
        return built.stack();
    }
}
