package io.tally.infra;

import io.tally.names.BucketKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Tally's bucket ({@code incoming/}, {@code runs/}, {@code reports/}, {@code exports/}) and the bucket its access
 * logs go to. Encrypted, public access blocked, TLS only, versioned; {@code runs/} expires after a number of
 * days. It sends its events to EventBridge, where a rule hands uploads under {@code incoming/} to the planner.
 * Both buckets are retained when the stack is deleted: they hold the trackers and every report.
 */
final class DataBucket extends Construct {
    /**
     * @param runsExpireDays   objects under {@code runs/} (manifests, partials, locks) expire after this
     * @param accessLogDays    the access logs expire after this
     */
    record Props(int runsExpireDays, int accessLogDays) {}

    /** What a function may do under one prefix. */
    enum Op {
        /** GetObject (also HeadObject, ranged GETs, the source of a copy). */
        READ("s3:GetObject"),
        /** PutObject (plain and conditional puts). */
        WRITE("s3:PutObject"),
        /**
         * A multipart upload or copy: its parts and completion are s3:PutObject, and one that does not complete is
         * aborted (s3:AbortMultipartUpload).
         */
        UPLOAD("s3:PutObject", "s3:AbortMultipartUpload"),
        DELETE("s3:DeleteObject");

        private final List<String> actions;

        Op(String... actions) {
            this.actions = List.of(actions);
        }
    }

    /** Operations on the objects under one prefix of {@link BucketKeys}. */
    record Access(String prefix, Set<Op> ops) {
        static Access of(String prefix, Op... ops) {
            return new Access(prefix, Set.of(ops));
        }
    }

    private final Bucket bucket;
    private final Bucket accessLogs;

    DataBucket(Construct scope, String id, Props props) {
        super(scope, id);
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireLogs")
                        .expiration(Duration.days(props.accessLogDays()))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("tally/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("ExpireRuns")
                                .prefix(BucketKeys.RUNS)
                                .expiration(Duration.days(props.runsExpireDays()))
                                .noncurrentVersionExpiration(Duration.days(1))
                                .build(),
                        // The expiry above leaves a delete marker per object in the versioned bucket; once the
                        // version under it is gone too, this removes the marker. S3 takes ExpiredObjectDeleteMarker
                        // only in a rule with no expiration days, so it is a rule of its own.
                        LifecycleRule.builder()
                                .id("RunsDeleteMarkers")
                                .prefix(BucketKeys.RUNS)
                                .expiredObjectDeleteMarker(true)
                                .build(),
                        // Versioning keeps every replaced report and tracker; old versions go after 90 days.
                        LifecycleRule.builder()
                                .id("OldVersions")
                                .noncurrentVersionExpiration(Duration.days(90))
                                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                                .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // Events to EventBridge, set on the CloudFormation resource itself: the L2's eventBridgeEnabled does it
        // through a custom resource (a Lambda function of CDK's own, on a managed policy).
        ((CfnBucket) bucket.getNode().getDefaultChild())
                .setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                        .eventBridgeConfiguration(CfnBucket.EventBridgeConfigurationProperty.builder()
                                .eventBridgeEnabled(true)
                                .build())
                        .build());
    }

    Bucket bucket() {
        return bucket;
    }

    Bucket accessLogs() {
        return accessLogs;
    }

    /**
     * Grants exactly {@code accesses}: the listed actions on {@code bucket/prefix*} for each prefix, and
     * s3:ListBucket on the bucket for requests whose {@code s3:prefix} lies under one of the prefixes it may read. ListBucket
     * is kept for more than listing: the functions read a missing object as "absent" (a status not yet written, a
     * lock not taken), and S3 answers 404 rather than 403 only to a caller allowed to list it.
     */
    void grant(IGrantable grantee, Access... accesses) {
        List<String> prefixes = new ArrayList<>();
        for (Access a : accesses) {
            List<String> actions = new ArrayList<>();
            for (Op op : Op.values()) {
                if (a.ops().contains(op)) {
                    actions.addAll(op.actions);
                }
            }
            grantee.getGrantPrincipal()
                    .addToPrincipalPolicy(PolicyStatement.Builder.create()
                            .actions(actions.stream().distinct().toList())
                            .resources(List.of(bucket.arnForObjects(a.prefix() + "*")))
                            .build());
            if (a.ops().contains(Op.READ)) {
                prefixes.add(a.prefix() + "*");
            }
        }
        if (!prefixes.isEmpty()) {
            listUnder(grantee, prefixes.toArray(String[]::new));
        }
    }

    /** s3:ListBucket for requests under {@code patterns} ({@code s3:prefix}, IAM wildcards) only. */
    void listUnder(IGrantable grantee, String... patterns) {
        grantee.getGrantPrincipal()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .actions(List.of("s3:ListBucket"))
                        .resources(List.of(bucket.getBucketArn()))
                        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(patterns))))
                        .build());
    }
}
