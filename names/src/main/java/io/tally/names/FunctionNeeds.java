package io.tally.names;

import java.util.ArrayList;
import java.util.List;

/**
 * What each function needs of its deployment, in one place, as {@link Env} holds the names it reads: the
 * environment variables its code path reads, and the AWS calls it makes, each as the adapter operation with
 * the resource it names. The CDK stack gives each function exactly this environment; the stack's tests check
 * that the synthesized role allows every call here under IAM's matching rules, and nothing this list does not
 * need.
 *
 * <p>The adapter operations ({@link Store}, {@link Queue}, {@link Glue}, {@link #SECRET_VALUE}) each name the
 * IAM actions AWS authorizes them by; a test in the storage module checks that every {@code ObjectStore}
 * method has its {@link Store} entry. The lists per function are kept by hand from the code paths (the
 * handler, its run logic, the publisher it shares): a new call in a function's code must be added here.
 *
 * <p>Object keys are patterns: {@code *} stands for a run id, a job run id or an upload's name.
 */
public final class FunctionNeeds {

    /** The object-store operations, by {@code ObjectStore} method, and the S3 actions that authorize them. */
    public enum Store {
        /** HeadObject; a missing key is read as absent, which S3 answers 404 only to a caller allowed to list. */
        HEAD(true, "s3:GetObject"),
        /** ListObjectsV2, every page, under one prefix (authorized with {@code s3:prefix} set to it). */
        LIST(false, "s3:ListBucket"),
        /** A ranged GET with If-Match; a tracker deleted mid-run (404) is told from a replaced one (412). */
        GET_RANGE(true, "s3:GetObject"),
        /** GetObject, whole; a missing key is absent (404, so s3:ListBucket too). */
        GET(true, "s3:GetObject"),
        /** GetObject as a stream; a missing key is NoSuchFileException (404, so s3:ListBucket too). */
        OPEN(true, "s3:GetObject"),
        /** PutObject, from bytes or a file. */
        PUT(false, "s3:PutObject"),
        /** PutObject with If-None-Match: *; a lost response is told apart by reading the object back. */
        PUT_IF_ABSENT(true, "s3:PutObject", "s3:GetObject"),
        /**
         * A multipart upload: CreateMultipartUpload, UploadPart and CompleteMultipartUpload are all authorized by
         * s3:PutObject; an upload that does not complete is aborted (s3:AbortMultipartUpload).
         */
        UPLOAD(false, "s3:PutObject", "s3:AbortMultipartUpload"),
        /** The source of a copy: HeadObject for its size, then CopyObject or UploadPartCopy read it. */
        COPY_FROM(false, "s3:GetObject"),
        /**
         * The target of a copy: CopyObject up to 5 GB, a multipart copy (UploadPartCopy) above, which is aborted
         * if it fails.
         */
        COPY_TO(false, "s3:PutObject", "s3:AbortMultipartUpload"),
        DELETE(false, "s3:DeleteObject");

        private final boolean absentIs404;
        private final List<String> actions;

        Store(boolean absentIs404, String... actions) {
            this.absentIs404 = absentIs404;
            this.actions = List.of(actions);
        }

        /** The actions on the object (or, for {@link #LIST}, on the bucket). */
        public List<String> actions() {
            return actions;
        }

        /** Whether the code reads a missing key as absent: S3 then needs s3:ListBucket to answer 404, not 403. */
        public boolean absentIs404() {
            return absentIs404;
        }
    }

    /** The queue operations, by {@code MessageQueue} method. */
    public enum Queue {
        /** SendMessageBatch, authorized by sqs:SendMessage. */
        SEND("sqs:SendMessage"),
        /** GetQueueAttributes RedrivePolicy: the queue's maxReceiveCount. */
        MAX_RECEIVE_COUNT("sqs:GetQueueAttributes");

        private final String action;

        Queue(String action) {
            this.action = action;
        }

        public String action() {
            return action;
        }
    }

    /** The Glue calls of {@code GlueLauncher}. */
    public enum Glue {
        START_JOB_RUN("glue:StartJobRun"),
        /** The watchdog asks a run's state. */
        GET_JOB_RUN("glue:GetJobRun"),
        /** After a StartJobRun whose answer was lost, the launcher looks for the run it started. */
        GET_JOB_RUNS("glue:GetJobRuns");

        private final String action;

        Glue(String action) {
            this.action = action;
        }

        public String action() {
            return action;
        }
    }

    /** GetSecretValue of the Google service-account key. */
    public static final String SECRET_VALUE = "secretsmanager:GetSecretValue";

    /** What a call names. */
    public enum Kind {
        /** An object of the data bucket: {@link Call#resource()} is its key (pattern). */
        OBJECT,
        /** The data bucket itself: {@link Call#resource()} is the {@code s3:prefix} of the request. */
        BUCKET,
        /** A queue: {@link Call#resource()} is the {@link Env} name of its URL. */
        QUEUE,
        /** The Glue job. */
        GLUE_JOB,
        /** The Google service-account secret. */
        SECRET
    }

    /**
     * One call as IAM sees it: an action on a resource.
     *
     * @param operation the adapter operation, for messages
     * @param action    the IAM action
     * @param kind      what it names
     * @param resource  the key, prefix or queue, by {@link Kind}
     */
    public record Call(String operation, String action, Kind kind, String resource) {}

    /**
     * One function's needs.
     *
     * @param id      the function's name (its CDK construct id)
     * @param handler its handler class ({@link HandlerClasses})
     * @param env     the environment variables it reads, beside the tuning ones it is given ({@link #tuning})
     * @param tuning  the tunable settings its code reads (given only when set in context)
     * @param calls   every AWS call its code path makes
     */
    public record Function(String id, String handler, List<String> env, List<String> tuning, List<Call> calls) {
        public Function {
            env = List.copyOf(env);
            tuning = List.copyOf(tuning);
            calls = List.copyOf(calls);
        }
    }

    private static final String RUN = BucketKeys.RUNS + "*/";
    private static final String REPORTS = BucketKeys.REPORTS + "*/";
    private static final String LATEST = BucketKeys.REPORTS + "latest/";
    /** The report files (core's ReportWriter.FILES), summary.json last. */
    public static final List<String> REPORT_FILES = List.of(
            "discrepancies.csv",
            "rejected_rows.csv",
            "officers.csv",
            "findings.csv",
            "invoices.csv",
            "summary.md",
            "summary.json");

    private static final List<String> INCOMING =
            List.of(BucketKeys.INCOMING + "purchase/", BucketKeys.INCOMING + "inventory/");

    /** The planner: lists the newest uploads, plans, runs inline runs, fans out, or starts Glue. */
    public static final Function PLANNER = new Builder("Planner", HandlerClasses.PLANNER)
            .env(Env.BUCKET, Env.RANGE_QUEUE_URL, Env.REDUCE_QUEUE_URL, Env.PUBLISH_QUEUE_URL, Env.GLUE_JOB_NAME)
            .tuning(
                    Env.TOLERANCE_KG,
                    Env.TOLERANCE_PCT,
                    Env.DATE_ORDER,
                    Env.RANGE_BYTES,
                    Env.INLINE_MAX_BYTES,
                    Env.GLUE_MIN_BYTES,
                    Env.THREADS,
                    Env.GLUE_START_ATTEMPTS)
            .lists(INCOMING.get(0), INCOMING.get(1), RUN + "partials/", RUN + "_reducing.")
            // An inline run reads both trackers in ranges.
            .store(Store.GET_RANGE, INCOMING.get(0) + "*", INCOMING.get(1) + "*")
            .store(Store.GET, RUN + "status.json", RUN + "manifest.json", BucketKeys.EXPORT_MOVING)
            // While an export moves its trackers in, the planner looks whether each has arrived.
            .store(Store.HEAD, INCOMING.get(0) + "*", INCOMING.get(1) + "*")
            .store(Store.PUT_IF_ABSENT, RUN + "manifest.json", RUN + "_reduce")
            .store(Store.PUT, RUN + "manifest.json", BucketKeys.RUNS + "_glue/*")
            // A resume clears a dead reducer's stale locks.
            .store(Store.HEAD, RUN + "_reduce")
            .store(Store.DELETE, RUN + "_reduce", RUN + "_reducing.1")
            .publisher()
            .queue(Queue.SEND, Env.RANGE_QUEUE_URL, Env.REDUCE_QUEUE_URL, Env.PUBLISH_QUEUE_URL)
            .glue(Glue.START_JOB_RUN, Glue.GET_JOB_RUNS)
            .build();

    /** The chunk worker: one range into a partial; the worker completing a run requests its reduce. */
    public static final Function WORKER = new Builder("Worker", HandlerClasses.WORKER)
            .env(Env.BUCKET, Env.RANGE_QUEUE_URL, Env.REDUCE_QUEUE_URL)
            .store(Store.GET, RUN + "manifest.json", RUN + "status.json", RUN + "flagged")
            .store(Store.GET_RANGE, INCOMING.get(0) + "*", INCOMING.get(1) + "*")
            // The second round (invoices.csv): each span's invoice lines beside the partials.
            .store(
                    Store.PUT,
                    RUN + "partials/purchase-00001",
                    RUN + "invoices/purchase-00001",
                    RUN + "errors/purchase-00001.txt")
            .store(Store.HEAD, RUN + "partials/purchase-00001", RUN + "invoices/purchase-00001", RUN + "flagged")
            .lists(RUN + "partials/", RUN + "invoices/")
            .store(Store.PUT_IF_ABSENT, RUN + "_reduce")
            .store(Store.DELETE, RUN + "_reduce")
            .failer()
            .queue(Queue.SEND, Env.REDUCE_QUEUE_URL)
            .queue(Queue.MAX_RECEIVE_COUNT, Env.RANGE_QUEUE_URL)
            .build();

    /** The reducer: merges a run's partials and publishes its reports. */
    public static final Function REDUCER = new Builder("Reducer", HandlerClasses.REDUCER)
            .env(Env.BUCKET, Env.RANGE_QUEUE_URL, Env.REDUCE_QUEUE_URL, Env.PUBLISH_QUEUE_URL)
            .lists(RUN + "partials/", RUN + "invoices/", RUN + "_reducing.")
            // The second round (invoices.csv): the flagged keys out, each span's invoice lines back.
            .store(Store.PUT, RUN + "flagged")
            .store(Store.OPEN, RUN + "invoices/purchase-00001")
            .store(Store.GET, RUN + "manifest.json", RUN + "status.json")
            .store(Store.PUT_IF_ABSENT, RUN + "_reducing.1")
            .store(Store.HEAD, RUN + "_reduce")
            .store(Store.OPEN, RUN + "partials/purchase-00001")
            // The merge re-reads a range whose guessed start was wrong.
            .store(Store.GET_RANGE, INCOMING.get(0) + "*", INCOMING.get(1) + "*")
            .store(Store.DELETE, RUN + "_reduce", RUN + "_reducing.1", RUN + "partials/purchase-00001")
            .publisher()
            .queue(Queue.SEND, Env.PUBLISH_QUEUE_URL, Env.RANGE_QUEUE_URL)
            .queue(Queue.MAX_RECEIVE_COUNT, Env.REDUCE_QUEUE_URL)
            .build();

    /** The Glue state handler: publishes (copies) or fails a run the Glue job reduced. No Glue API call. */
    public static final Function GLUE_STATE = new Builder("GlueState", HandlerClasses.GLUE_STATE)
            .env(Env.BUCKET, Env.PUBLISH_QUEUE_URL)
            .glueFinish()
            .queue(Queue.SEND, Env.PUBLISH_QUEUE_URL)
            .build();

    /** The watchdog: fails stalled runs, finishes Glue runs whose event was missed, watches the uploads. */
    public static final Function WATCHDOG = new Builder("Watchdog", HandlerClasses.WATCHDOG)
            .env(Env.BUCKET, Env.PUBLISH_QUEUE_URL, Env.GLUE_JOB_NAME, Env.STALL_MINUTES, Env.MAX_UPLOAD_AGE_HOURS)
            .lists(BucketKeys.RUNS + "_running/", INCOMING.get(0), INCOMING.get(1))
            .glueFinish()
            .queue(Queue.SEND, Env.PUBLISH_QUEUE_URL)
            .glue(Glue.GET_JOB_RUN)
            .build();

    /**
     * The Sheets export: both trackers to exports/staging/, then the changed ones copied into incoming/ under
     * exports/moving.json, and its record of each under exports/.
     */
    public static final Function SHEETS_EXPORT = new Builder("SheetsExport", HandlerClasses.SHEETS_EXPORT)
            .env(Env.BUCKET, Env.SHEETS_PURCHASE, Env.SHEETS_INVENTORY, Env.SHEETS_REPORT, Env.SHEETS_SECRET)
            .tuning(
                    Env.DATE_ORDER,
                    Env.SHEETS_CHUNK_ROWS,
                    Env.SHEETS_READS_PER_MINUTE,
                    Env.SHEETS_WRITES_PER_MINUTE,
                    Env.SHEETS_ATTEMPTS)
            .store(Store.UPLOAD, BucketKeys.EXPORT_STAGING + "*/purchase", BucketKeys.EXPORT_STAGING + "*/inventory")
            .store(Store.COPY_FROM, BucketKeys.EXPORT_STAGING + "*/purchase", BucketKeys.EXPORT_STAGING + "*/inventory")
            .store(Store.COPY_TO, INCOMING.get(0) + "*", INCOMING.get(1) + "*")
            .store(Store.DELETE, BucketKeys.EXPORT_STAGING + "*/purchase", BucketKeys.EXPORT_MOVING)
            .store(Store.PUT, BucketKeys.EXPORT_MOVING)
            .store(Store.HEAD, INCOMING.get(0) + "*", INCOMING.get(1) + "*")
            .store(Store.GET, BucketKeys.EXPORTS + "purchase.json", BucketKeys.EXPORTS + "inventory.json")
            .store(Store.PUT, BucketKeys.EXPORTS + "purchase.json", BucketKeys.EXPORTS + "inventory.json")
            .secret()
            .build();

    /** The Sheets publish: a successful run's reports into the report spreadsheet. */
    public static final Function SHEETS_PUBLISH = new Builder("SheetsPublish", HandlerClasses.SHEETS_PUBLISH)
            .env(Env.BUCKET, Env.SHEETS_PURCHASE, Env.SHEETS_INVENTORY, Env.SHEETS_REPORT, Env.SHEETS_SECRET)
            .tuning(
                    Env.DATE_ORDER,
                    Env.SHEETS_CHUNK_ROWS,
                    Env.SHEETS_READS_PER_MINUTE,
                    Env.SHEETS_WRITES_PER_MINUTE,
                    Env.SHEETS_ATTEMPTS)
            .store(Store.HEAD, REPORTS + "summary.json")
            .store(
                    Store.GET,
                    RUN + "manifest.json",
                    BucketKeys.EXPORTS + "purchase.json",
                    BucketKeys.EXPORTS + "inventory.json")
            .store(Store.OPEN, REPORT_FILES.stream().map(f -> REPORTS + f).toArray(String[]::new))
            .secret()
            .build();

    /**
     * Not a function, but a role of the stack all the same: the Glue job ({@code ReconcileJob}) reads the
     * manifest and the trackers' ranges, leaves each range's partial (and each span's invoice lines) under the run, and streams the reports
     * to {@code reports/{runId}/} as multipart uploads. It reads no report.
     */
    public static final Function GLUE_JOB = new Builder("Glue", "io.tally.glue.GlueApp")
            .store(Store.GET, RUN + "manifest.json", RUN + "partials/purchase-00001", RUN + "invoices/purchase-00001")
            .store(Store.GET_RANGE, INCOMING.get(0) + "*", INCOMING.get(1) + "*")
            // invoices.csv's second pass: each span's invoice lines, left beside the partials.
            .store(Store.PUT, RUN + "partials/purchase-00001", RUN + "invoices/purchase-00001")
            .store(Store.UPLOAD, REPORT_FILES.stream().map(f -> REPORTS + f).toArray(String[]::new))
            .build();

    /** Every function, in the order the stack builds them. */
    public static final List<Function> ALL =
            List.of(PLANNER, WORKER, REDUCER, GLUE_STATE, WATCHDOG, SHEETS_EXPORT, SHEETS_PUBLISH);

    private FunctionNeeds() {}

    /** The function of {@code id}. */
    public static Function of(String id) {
        return ALL.stream()
                .filter(f -> f.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + id));
    }

    private static final class Builder {
        private final String id;
        private final String handler;
        private final List<String> env = new ArrayList<>();
        private final List<String> tuning = new ArrayList<>();
        private final List<Call> calls = new ArrayList<>();

        Builder(String id, String handler) {
            this.id = id;
            this.handler = handler;
        }

        Builder env(String... names) {
            env.addAll(List.of(names));
            return this;
        }

        Builder tuning(String... names) {
            tuning.addAll(List.of(names));
            return this;
        }

        Builder store(Store op, String... keys) {
            for (String key : keys) {
                for (String action : op.actions()) {
                    calls.add(new Call(op.name(), action, op == Store.LIST ? Kind.BUCKET : Kind.OBJECT, key));
                }
                if (op.absentIs404()) {
                    calls.add(new Call(op.name() + " (404)", "s3:ListBucket", Kind.BUCKET, key));
                }
            }
            return this;
        }

        Builder lists(String... prefixes) {
            return store(Store.LIST, prefixes);
        }

        Builder queue(Queue op, String... queueUrlEnvs) {
            for (String q : queueUrlEnvs) {
                calls.add(new Call(op.name(), op.action(), Kind.QUEUE, q));
            }
            return this;
        }

        Builder glue(Glue... ops) {
            for (Glue op : ops) {
                calls.add(new Call(op.name(), op.action(), Kind.GLUE_JOB, ""));
            }
            return this;
        }

        Builder secret() {
            calls.add(new Call("SECRET_VALUE", SECRET_VALUE, Kind.SECRET, ""));
            return this;
        }

        /** The publisher's failure path: the run's status, and its marker under runs/_running/. */
        Builder failer() {
            return store(Store.GET, RUN + "status.json")
                    .store(Store.PUT, RUN + "status.json", BucketKeys.RUNS + "_running/*")
                    .store(Store.DELETE, BucketKeys.RUNS + "_running/*");
        }

        /** The publisher's success path: reports streamed to reports/{runId}/ and reports/latest/. */
        Builder publisher() {
            String[] reports = REPORT_FILES.stream().map(f -> REPORTS + f).toArray(String[]::new);
            String[] latest = REPORT_FILES.stream().map(f -> LATEST + f).toArray(String[]::new);
            return failer().store(Store.GET, BucketKeys.LATEST_POINTER)
                    .store(Store.UPLOAD, reports)
                    .store(Store.UPLOAD, latest)
                    .store(Store.PUT, BucketKeys.LATEST_POINTER);
        }

        /** GlueState: the run's job run, manifest and status; promote copies the Glue job's reports. */
        Builder glueFinish() {
            String[] reports = REPORT_FILES.stream().map(f -> REPORTS + f).toArray(String[]::new);
            String[] latest = REPORT_FILES.stream().map(f -> LATEST + f).toArray(String[]::new);
            return failer().store(
                            Store.GET,
                            BucketKeys.RUNS + "_glue/*",
                            RUN + "manifest.json",
                            BucketKeys.REPORTS + "latest.json",
                            REPORTS + "summary.json")
                    .store(Store.HEAD, reports)
                    .store(Store.COPY_FROM, reports)
                    .store(Store.COPY_TO, latest)
                    .store(Store.PUT, BucketKeys.LATEST_POINTER);
        }

        Function build() {
            return new Function(id, handler, env, tuning, calls);
        }
    }
}
