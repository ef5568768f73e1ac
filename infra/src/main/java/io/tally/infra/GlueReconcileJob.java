package io.tally.infra;

import io.tally.names.BucketKeys;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The Glue 5.0 job that reduces runs of 20 GiB and more: the Scala entry script and the job jar as assets, a
 * security configuration that encrypts its CloudWatch logs, bookmarks and S3 output, and a role that may touch
 * only the run's prefixes. Glue does not retry it (MaxRetries 0): the planner's GlueLauncher starts it, and the
 * Glue state handler and the watchdog finish or fail the run.
 */
final class GlueReconcileJob extends Construct {
    /** Part of the security configuration's name; see where it is used. */
    static final String SECURITY_VERSION = "v1";

    /** The Scala object Glue starts ({@code glue/src/main/scala/io/tally/glue/GlueApp.scala}). */
    static final String ENTRY_CLASS = "io.tally.glue.GlueApp";
    /** Concurrent job runs: GlueLauncher retries ConcurrentRunsExceeded with backoff beyond this. */
    static final int MAX_CONCURRENT_RUNS = 3;

    /**
     * @param data           the bucket it reads and writes
     * @param scriptPath     the Scala entry script
     * @param jarPath        the job jar ({@code glue/target/tally-glue.jar})
     * @param workerType     G.1X, G.2X, ...
     * @param workers        workers, one of which is the driver
     * @param timeoutMinutes Glue stops the job run after this
     * @param logDays        the job's log groups keep this many days
     */
    record Props(
            DataBucket data,
            String scriptPath,
            String jarPath,
            String workerType,
            int workers,
            int timeoutMinutes,
            int logDays) {}

    /** Where Glue's own log groups live; the managed AWSGlueServiceRole may write under it. */
    static final String GLUE_LOGS = "/aws-glue/jobs/";

    private final CfnJob job;
    private final String logPrefix;
    private final Role role;

    GlueReconcileJob(Construct scope, String id, Props props) {
        super(scope, id);
        Key key = Key.Builder.create(this, "Key")
                .enableKeyRotation(true)
                .description("Tally Glue job: CloudWatch logs and bookmarks")
                .build();
        // CloudWatch Logs encrypts the job's log groups with this key, as the security configuration asks; it
        // names the log group as encryption context, so the key serves Glue's log groups of this account only.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("logs." + Aws.REGION + ".amazonaws.com")))
                .actions(List.of(
                        "kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "ArnLike",
                        Map.of(
                                "kms:EncryptionContext:aws:logs:arn",
                                "arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":log-group:"
                                        + GLUE_LOGS + "*")))
                .build());
        // Glue 5.0 writes to <prefix>/error and <prefix>/output. Made here, they keep logDays, not forever.
        logPrefix = GLUE_LOGS + Stack.of(this).getStackName();
        for (String stream : List.of("error", "output")) {
            LogGroup logs = LogGroup.Builder.create(
                            this, "Logs" + Character.toUpperCase(stream.charAt(0)) + stream.substring(1))
                    .logGroupName(logPrefix + "/" + stream)
                    .encryptionKey(key)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            ((CfnLogGroup) logs.getNode().getDefaultChild()).setRetentionInDays(retention(props.logDays()));
        }
        CfnSecurityConfiguration security = CfnSecurityConfiguration.Builder.create(this, "Security")
                // Every property change replaces a security configuration, and CloudFormation creates the
                // replacement before it deletes the old one: change SECURITY_VERSION with the configuration,
                // or the update fails on the name.
                .name(Aws.STACK_NAME + "-glue-" + SECURITY_VERSION)
                .encryptionConfiguration(CfnSecurityConfiguration.EncryptionConfigurationProperty.builder()
                        .cloudWatchEncryption(CfnSecurityConfiguration.CloudWatchEncryptionProperty.builder()
                                .cloudWatchEncryptionMode("SSE-KMS")
                                .kmsKeyArn(key.getKeyArn())
                                .build())
                        .jobBookmarksEncryption(CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                                .jobBookmarksEncryptionMode("CSE-KMS")
                                .kmsKeyArn(key.getKeyArn())
                                .build())
                        // SSE-S3, as the bucket: the functions read what the job writes without a KMS grant.
                        .s3Encryptions(List.of(CfnSecurityConfiguration.S3EncryptionProperty.builder()
                                .s3EncryptionMode("SSE-S3")
                                .build()))
                        .build())
                .build();

        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSGlueServiceRole")))
                .description("Tally Glue job: the run's prefixes, its assets, its log key")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of(key.getKeyArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:AssociateKmsKey"))
                .resources(List.of("arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                        + ":log-group:/aws-glue/*"))
                .build());
        // ReconcileJob: ranged GETs of the trackers, the manifest and partials under runs/, the reports out as
        // multipart uploads. It reads no report.
        props.data()
                .grant(
                        role,
                        DataBucket.Access.of(BucketKeys.INCOMING, DataBucket.Op.READ),
                        DataBucket.Access.of(BucketKeys.RUNS, DataBucket.Op.READ, DataBucket.Op.WRITE),
                        DataBucket.Access.of(BucketKeys.REPORTS, DataBucket.Op.UPLOAD));

        Asset script =
                Asset.Builder.create(this, "Script").path(props.scriptPath()).build();
        Asset jar = Asset.Builder.create(this, "Jar").path(props.jarPath()).build();
        // Exactly the two asset objects, rather than Asset.grantRead's wildcards on the whole assets bucket.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(
                        script.getBucket().arnForObjects(script.getS3ObjectKey()),
                        jar.getBucket().arnForObjects(jar.getS3ObjectKey())))
                .build());

        job = CfnJob.Builder.create(this, "Job")
                .description("Tally: reconciles runs of 20 GiB and more (Spark, core's rules)")
                .role(role.getRoleArn())
                .glueVersion("5.0")
                .command(CfnJob.JobCommandProperty.builder()
                        .name("glueetl")
                        .scriptLocation(script.getS3ObjectUrl())
                        .build())
                .defaultArguments(Map.of(
                        "--job-language",
                        "scala",
                        "--class",
                        ENTRY_CLASS,
                        "--extra-jars",
                        jar.getS3ObjectUrl(),
                        // Glue 5.0 logs in real time whatever --enable-continuous-cloudwatch-log says; this
                        // prefix puts the logs in the two groups above, per stack.
                        "--custom-logGroup-prefix",
                        logPrefix,
                        "--enable-metrics",
                        "true",
                        // ReconcileJob's S3 client: the stack's region, not a default.
                        "--region",
                        Aws.REGION))
                .workerType(props.workerType())
                .numberOfWorkers(props.workers())
                .maxRetries(0)
                .timeout(props.timeoutMinutes())
                .executionProperty(CfnJob.ExecutionPropertyProperty.builder()
                        .maxConcurrentRuns(MAX_CONCURRENT_RUNS)
                        .build())
                .securityConfiguration(security.getRef())
                .build();
    }

    /** The prefix of the job's two log groups. */
    String logPrefix() {
        return logPrefix;
    }

    /** The retentions CloudWatch Logs accepts, in days. */
    static final List<Integer> RETENTIONS = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    static int retention(int days) {
        if (!RETENTIONS.contains(days)) {
            throw new IllegalArgumentException(
                    "glueLogDays must be a retention CloudWatch Logs accepts " + RETENTIONS + ", not " + days);
        }
        return days;
    }

    /** The job's name (CloudFormation names it), for the functions and the state-change rules. */
    String jobName() {
        return job.getRef();
    }

    CfnJob job() {
        return job;
    }

    Role role() {
        return role;
    }

    /** The ARN IAM statements on this job name. */
    String jobArn() {
        return "arn:" + Aws.PARTITION + ":glue:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":job/" + job.getRef();
    }
}
