package io.tally.infra;

import io.tally.names.BucketKeys;
import io.tally.names.Env;
import io.tally.names.FunctionNeeds;
import io.tally.names.HandlerClasses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.constructs.Construct;

/**
 * All of Tally in one stack, read top to bottom: the bucket, the queues, the Glue job, the functions with
 * their grants, what triggers them, the alarms and the dashboard. Environment-agnostic: it synthesizes with no
 * account, and the same template deploys to any.
 */
public final class TallyStack extends Stack {
    private final TallyMetrics metrics = new TallyMetrics();
    private final Map<String, TallyFunction> functions = new LinkedHashMap<>();
    private final Alarms alarms;
    private final DataBucket data;
    private final WorkQueue ranges;
    private final WorkQueue reduces;
    private final Optional<WorkQueue> publishes;
    private final GlueReconcileJob glue;
    private final AlarmTopic topic;
    private final Triggers triggers;

    public TallyStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);

        data = new DataBucket(this, "Data", new DataBucket.Props(settings.runsExpireDays(), settings.accessLogDays()));
        ranges = new WorkQueue(this, "RangeQueue", new WorkQueue.Props(Sizes.WORKER.timeout()));
        reduces = new WorkQueue(this, "ReduceQueue", new WorkQueue.Props(Sizes.REDUCER.timeout()));
        publishes = settings.sheets()
                ? Optional.of(new WorkQueue(this, "PublishQueue", new WorkQueue.Props(Sizes.SHEETS_PUBLISH.timeout())))
                : Optional.empty();
        glue = new GlueReconcileJob(
                this,
                "Glue",
                new GlueReconcileJob.Props(
                        data,
                        settings.glueScript(),
                        settings.glueJar(),
                        settings.glueWorkerType(),
                        settings.glueWorkers(),
                        settings.glueTimeoutMinutes(),
                        settings.glueLogDays()));
        topic = new AlarmTopic(this, "Alarms", new AlarmTopic.Props(settings.alarmEmail()));

        Code code = Code.fromAsset(settings.lambdaJar());
        Map<String, String> env = environment(settings, data, ranges, reduces, publishes, glue);
        Optional<String> secretArn =
                settings.sheets() ? Optional.of(secretArn(settings.sheetsSecret())) : Optional.empty();
        DataBucket.Access latestPointer = read(BucketKeys.LATEST_POINTER);

        // Each function's grants match its calls in FunctionNeeds; FunctionGrantsTest checks each call against the
        // synthesized role under IAM's rules.
        TallyFunction planner = function(
                FunctionNeeds.PLANNER,
                Sizes.PLANNER,
                "Tally: plans a run on each upload (inline, fan-out or Glue)",
                code,
                env,
                settings,
                Optional.empty());
        data.grant(
                planner.role(),
                read(BucketKeys.INCOMING),
                readWriteDelete(BucketKeys.RUNS),
                upload(BucketKeys.REPORTS),
                latestPointer,
                read(BucketKeys.EXPORT_MOVING));
        ranges.queue().grantSendMessages(planner.role());
        reduces.queue().grantSendMessages(planner.role());
        publishes.ifPresent(q -> q.queue().grantSendMessages(planner.role()));
        glueActions(planner.role(), glue, "glue:StartJobRun", "glue:GetJobRuns");

        TallyFunction worker = function(
                FunctionNeeds.WORKER,
                Sizes.WORKER,
                "Tally: reads one byte range into a partial",
                code,
                env,
                settings,
                Optional.empty());
        data.grant(worker.role(), read(BucketKeys.INCOMING), readWriteDelete(BucketKeys.RUNS));
        reduces.queue().grantSendMessages(worker.role());
        consume(worker, ranges, settings.maxConcurrency());

        TallyFunction reducer = function(
                FunctionNeeds.REDUCER,
                Sizes.reducer(settings.reducerTmpMb()),
                "Tally: merges a run's partials and publishes its reports",
                code,
                env,
                settings,
                Optional.empty());
        // incoming/: the merge re-reads a range whose guessed start was wrong.
        data.grant(
                reducer.role(),
                read(BucketKeys.INCOMING),
                readWriteDelete(BucketKeys.RUNS),
                upload(BucketKeys.REPORTS),
                latestPointer);
        publishes.ifPresent(q -> q.queue().grantSendMessages(reducer.role()));
        // The second round of invoices.csv: one range message a span, to the workers.
        ranges.queue().grantSendMessages(reducer.role());
        consume(reducer, reduces, settings.maxConcurrency());

        TallyFunction glueState = function(
                FunctionNeeds.GLUE_STATE,
                Sizes.GLUE_STATE,
                "Tally: finishes a run the Glue job reduced",
                code,
                env,
                settings,
                Optional.empty());
        // GlueState calls no Glue API: the event carries the state. It copies the job's reports to latest/.
        data.grant(glueState.role(), readWriteDelete(BucketKeys.RUNS), readUpload(BucketKeys.REPORTS));
        publishes.ifPresent(q -> q.queue().grantSendMessages(glueState.role()));

        TallyFunction watchdog = function(
                FunctionNeeds.WATCHDOG,
                Sizes.WATCHDOG,
                "Tally: fails stalled runs, reports trackers that stopped arriving",
                code,
                env,
                settings,
                Optional.empty());
        data.grant(watchdog.role(), readWriteDelete(BucketKeys.RUNS), readUpload(BucketKeys.REPORTS));
        // incoming/ is only listed (the upload times): ListBucket under it, no object access.
        data.listUnder(watchdog.role(), BucketKeys.INCOMING + "*");
        publishes.ifPresent(q -> q.queue().grantSendMessages(watchdog.role()));
        glueActions(watchdog.role(), glue, "glue:GetJobRun");

        Optional<TallyFunction> export = Optional.empty();
        if (settings.sheets()) {
            TallyFunction sheetsExport = function(
                    FunctionNeeds.SHEETS_EXPORT,
                    Sizes.SHEETS_EXPORT,
                    "Tally: exports both trackers from Google Sheets into incoming/",
                    code,
                    env,
                    settings,
                    Optional.empty());
            // Read too: an export whose sheet is unchanged checks that its last upload is still there (HeadObject).
            data.grant(
                    sheetsExport.role(),
                    readUpload(BucketKeys.INCOMING),
                    DataBucket.Access.of(
                            BucketKeys.EXPORTS,
                            DataBucket.Op.READ,
                            DataBucket.Op.WRITE,
                            DataBucket.Op.UPLOAD,
                            DataBucket.Op.DELETE));
            readSecret(sheetsExport.role(), secretArn.orElseThrow());
            export = Optional.of(sheetsExport);

            // At most two at once, as many as its event source may run: the publish lock in the spreadsheet makes
            // the second wait for the first, so nothing is throttled and no message waits out its visibility timeout.
            TallyFunction sheetsPublish = function(
                    FunctionNeeds.SHEETS_PUBLISH,
                    Sizes.SHEETS_PUBLISH,
                    "Tally: writes a successful run's reports into the report spreadsheet",
                    code,
                    env,
                    settings,
                    Optional.of(PUBLISH_CONCURRENCY));
            data.grant(sheetsPublish.role(), read(BucketKeys.REPORTS), read(BucketKeys.RUNS), read(BucketKeys.EXPORTS));
            readSecret(sheetsPublish.role(), secretArn.orElseThrow());
            consume(sheetsPublish, publishes.orElseThrow(), PUBLISH_EVENT_SOURCE_CONCURRENCY);
        }

        triggers = new Triggers(
                this,
                "Triggers",
                new Triggers.Props(
                        data.bucket(),
                        planner.alias(),
                        glueState.alias(),
                        glue.jobName(),
                        watchdog.alias(),
                        settings.watchdogRateMinutes(),
                        export.map(TallyFunction::alias),
                        settings.exportCron(),
                        settings.exportTimezone(),
                        topic));

        Map<String, WorkQueue> queues = new LinkedHashMap<>();
        queues.put("Range", ranges);
        queues.put("Reduce", reduces);
        publishes.ifPresent(q -> queues.put("Publish", q));
        alarms = new Alarms(
                this,
                "AlarmSet",
                new Alarms.Props(
                        topic.topic(), functions, worker, queues, ranges, triggers.glueFailures(), metrics, settings));
        new OpsDashboard(
                this,
                "Dashboard",
                new OpsDashboard.Props(metrics, queues, triggers.glueStates(), triggers.glueFailures()));

        CfnOutput.Builder.create(this, "BucketName")
                .description("Upload trackers under incoming/purchase/ and "
                        + "incoming/inventory/; reports land under reports/")
                .value(data.bucket().getBucketName())
                .build();
        CfnOutput.Builder.create(this, "AlarmTopicArn")
                .value(topic.topic().getTopicArn())
                .build();
        CfnOutput.Builder.create(this, "GlueJobName").value(glue.jobName()).build();

        NagFindings.suppress(glue, functions.values());
    }

    DataBucket data() {
        return data;
    }

    WorkQueue rangeQueue() {
        return ranges;
    }

    WorkQueue reduceQueue() {
        return reduces;
    }

    Optional<WorkQueue> publishQueue() {
        return publishes;
    }

    GlueReconcileJob glue() {
        return glue;
    }

    AlarmTopic topic() {
        return topic;
    }

    Triggers triggers() {
        return triggers;
    }

    /** The metrics the alarms and the dashboard use, for the tests. */
    TallyMetrics metrics() {
        return metrics;
    }

    Alarms alarms() {
        return alarms;
    }

    Map<String, TallyFunction> functions() {
        return Map.copyOf(functions);
    }

    private TallyFunction function(
            FunctionNeeds.Function needs,
            Sizes.Size size,
            String description,
            Code code,
            Map<String, String> available,
            Settings settings,
            Optional<Integer> reservedConcurrency) {
        // Rules and schedules invoke these asynchronously; queues invoke the rest.
        boolean async = List.of(
                        HandlerClasses.PLANNER,
                        HandlerClasses.GLUE_STATE,
                        HandlerClasses.WATCHDOG,
                        HandlerClasses.SHEETS_EXPORT)
                .contains(needs.handler());
        TallyFunction f = new TallyFunction(
                this,
                needs.id(),
                new TallyFunction.Props(
                        needs.handler(),
                        code,
                        size,
                        description,
                        environmentOf(needs, available, settings),
                        async,
                        reservedConcurrency));
        functions.put(needs.id(), f);
        return f;
    }

    /**
     * Exactly what the function reads ({@link FunctionNeeds}): a setting it does not read is not given to it, so
     * changing one republishes only the functions that read it, and only the Sheets functions build a Secrets
     * Manager client.
     */
    static Map<String, String> environmentOf(
            FunctionNeeds.Function needs, Map<String, String> available, Settings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : needs.env()) {
            if (available.containsKey(name)) {
                env.put(name, available.get(name));
            }
        }
        for (String name : needs.tuning()) {
            if (settings.tuning().containsKey(name)) {
                env.put(name, settings.tuning().get(name));
            }
        }
        return env;
    }

    /** Every value a function may be given, by {@code Env} name; each function gets those it reads. */
    private static Map<String, String> environment(
            Settings settings,
            DataBucket data,
            WorkQueue ranges,
            WorkQueue reduces,
            Optional<WorkQueue> publishes,
            GlueReconcileJob glue) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Env.BUCKET, data.bucket().getBucketName());
        env.put(Env.RANGE_QUEUE_URL, ranges.queue().getQueueUrl());
        env.put(Env.REDUCE_QUEUE_URL, reduces.queue().getQueueUrl());
        env.put(Env.GLUE_JOB_NAME, glue.jobName());
        env.put(Env.STALL_MINUTES, String.valueOf(settings.stallMinutes()));
        env.put(Env.MAX_UPLOAD_AGE_HOURS, String.valueOf(settings.maxUploadHours()));
        publishes.ifPresent(q -> env.put(Env.PUBLISH_QUEUE_URL, q.queue().getQueueUrl()));
        if (settings.sheets()) {
            env.put(Env.SHEETS_PURCHASE, settings.sheetsPurchase());
            env.put(Env.SHEETS_INVENTORY, settings.sheetsInventory());
            env.put(Env.SHEETS_REPORT, settings.sheetsReport());
            env.put(Env.SHEETS_SECRET, settings.sheetsSecret());
        }
        return env;
    }

    /**
     * Reserved concurrency of the Sheets publish: the event source's own maximum, so the source never meets a
     * throttle. With 1, a second run's publish would be throttled and come back only after the queue's 90-minute
     * visibility timeout (and set off the throttle alarm); instead the second invocation waits on the publish lock
     * in the spreadsheet (at most 11 minutes of its 15) and then publishes the newest run.
     */
    static final int PUBLISH_CONCURRENCY = 2;
    /** The publish queue's event source: 2 is the lowest maximum concurrency Lambda allows for SQS. */
    static final int PUBLISH_EVENT_SOURCE_CONCURRENCY = 2;

    /** The SQS event source: partial batch failures, one message a batch, concurrency capped. */
    private static void consume(TallyFunction f, WorkQueue q, int maxConcurrency) {
        f.alias()
                .addEventSource(new SqsEventSource(
                        q.queue(),
                        SqsEventSourceProps.builder()
                                // One range a batch: 136 ranges of a 9 GB run become 136 parallel invocations.
                                .batchSize(1)
                                .reportBatchItemFailures(true)
                                .maxConcurrency(maxConcurrency)
                                .build()));
    }

    /**
     * The ARN to grant: a complete ARN as given, or for a name, {@code name-??????}: Secrets Manager ends every
     * secret's ARN in a hyphen and six random characters, so the name alone matches nothing. The six
     * {@code ?} match exactly the suffix, so no secret whose name merely starts with this one is granted.
     */
    static String secretArn(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return "arn:" + Aws.PARTITION + ":secretsmanager:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":secret:" + nameOrArn
                + "-??????";
    }

    /** Only the value: the functions never describe, list or change the secret. */
    private static void readSecret(IGrantable grantee, String secretArn) {
        grantee.getGrantPrincipal()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .actions(List.of(FunctionNeeds.SECRET_VALUE))
                        .resources(List.of(secretArn))
                        .build());
    }

    private static void glueActions(IGrantable grantee, GlueReconcileJob glue, String... actions) {
        grantee.getGrantPrincipal()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .actions(List.of(actions))
                        .resources(List.of(glue.jobArn()))
                        .build());
    }

    private static DataBucket.Access read(String prefix) {
        return DataBucket.Access.of(prefix, DataBucket.Op.READ);
    }

    private static DataBucket.Access upload(String prefix) {
        return DataBucket.Access.of(prefix, DataBucket.Op.UPLOAD);
    }

    private static DataBucket.Access readUpload(String prefix) {
        return DataBucket.Access.of(prefix, DataBucket.Op.READ, DataBucket.Op.UPLOAD);
    }

    private static DataBucket.Access readWriteDelete(String prefix) {
        return DataBucket.Access.of(prefix, DataBucket.Op.READ, DataBucket.Op.WRITE, DataBucket.Op.DELETE);
    }
}
