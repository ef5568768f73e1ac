package io.tally.infra;

import io.tally.names.BucketKeys;
import java.util.ArrayList;
import java.util.List;
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
    /** @param runsExpireDays objects under {@code runs/} (manifests, partials, locks) expire after this */
    record Props(int runsExpireDays) {}

    /** What a function may do under one prefix. */
    enum Op {
        /** GetObject (also HeadObject, ranged GETs, the source of a copy). */
        READ("s3:GetObject"),
        /** PutObject (conditional puts, the target of a copy, multipart parts) and aborting a multipart upload. */
        WRITE("s3:PutObject", "s3:AbortMultipartUpload"),
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
                        LifecycleRule.builder().id("ExpireRuns").prefix(BucketKeys.RUNS)
                                .expiration(Duration.days(props.runsExpireDays()))
                                .noncurrentVersionExpiration(Duration.days(1)).build(),
                        // Versioning keeps every replaced report and tracker; old versions go after 90 days.
                        LifecycleRule.builder().id("OldVersions").noncurrentVersionExpiration(Duration.days(90))
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // Events to EventBridge, set on the CloudFormation resource itself: the L2's eventBridgeEnabled does it
        // through a custom resource (a Lambda function of CDK's own, on a managed policy).
        ((CfnBucket) bucket.getNode().getDefaultChild()).setNotificationConfiguration(
                CfnBucket.NotificationConfigurationProperty.builder().eventBridgeConfiguration(
                        CfnBucket.EventBridgeConfigurationProperty.builder().eventBridgeEnabled(true).build())
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
     * s3:ListBucket on the bucket. ListBucket carries no prefix condition on purpose: the functions read a missing
     * object as "absent" (a status not yet written, a lock not taken), and S3 answers 404 rather than 403 only to
     * callers allowed s3:ListBucket on the bucket itself.
     */
    void grant(IGrantable grantee, Access... accesses) {
        for (Access a : accesses) {
            List<String> actions = new ArrayList<>();
            for (Op op : Op.values()) {
                if (a.ops().contains(op)) {
                    actions.addAll(op.actions);
                }
            }
            grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create().actions(actions)
                    .resources(List.of(bucket.arnForObjects(a.prefix() + "*"))).build());
        }
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket")).resources(List.of(bucket.getBucketArn())).build());
    }
}
