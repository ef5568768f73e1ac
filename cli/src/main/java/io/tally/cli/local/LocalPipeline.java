package io.tally.cli.local;

import io.tally.core.DateOrder;
import io.tally.core.ReportDirectory;
import io.tally.core.ReportWriter;
import io.tally.core.Tolerances;
import io.tally.core.Tracker;
import io.tally.functions.FunctionsConfig;
import io.tally.functions.Wiring;
import io.tally.functions.aws.SqsMessageQueue;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.Json;
import io.tally.functions.run.Planner;
import io.tally.names.Env;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ObjectStore;
import io.tally.storage.run.Latest;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** The whole serverless pipeline inside this JVM: embedded S3 and SQS, the real handlers, a Lambda-like driver. */
public final class LocalPipeline implements AutoCloseable {
    public static final String BUCKET = "tally-local";
    private static final AtomicInteger QUEUES = new AtomicInteger();

    /**
     * @param tier              force a tier, or let the planner choose by size
     * @param rangeBytes        bytes per fan-out range
     * @param batchSize         SQS messages per worker invocation
     * @param visibilitySeconds SQS visibility timeout
     * @param workers           concurrent worker invocations
     * @param maxReceiveCount   receives before a range goes to the dead-letter queue
     * @param tolerances        reconciliation tolerances
     * @param dateOrder         how d/M/yyyy dates read
     * @param deliverTwice      deliver every batch twice
     * @param timeout           how long to wait for a run
     */
    public record Settings(
            Optional<Tier> tier,
            long rangeBytes,
            int batchSize,
            int visibilitySeconds,
            int workers,
            int maxReceiveCount,
            Tolerances tolerances,
            DateOrder dateOrder,
            boolean deliverTwice,
            Duration timeout,
            Map<String, String> extraEnv,
            Supplier<byte[]> googleKey) {

        public Settings(
                Optional<Tier> tier,
                long rangeBytes,
                int batchSize,
                int visibilitySeconds,
                int workers,
                int maxReceiveCount,
                Tolerances tolerances,
                DateOrder dateOrder,
                boolean deliverTwice,
                Duration timeout) {
            this(
                    tier,
                    rangeBytes,
                    batchSize,
                    visibilitySeconds,
                    workers,
                    maxReceiveCount,
                    tolerances,
                    dateOrder,
                    deliverTwice,
                    timeout,
                    Map.of(),
                    () -> {
                        throw new IllegalStateException("no Google service-account key");
                    });
        }

        /** With Google Sheets: the functions' Sheets settings and the service-account key. */
        public Settings withSheets(Map<String, String> sheetsEnv, Supplier<byte[]> key) {
            return new Settings(
                    tier,
                    rangeBytes,
                    batchSize,
                    visibilitySeconds,
                    workers,
                    maxReceiveCount,
                    tolerances,
                    dateOrder,
                    deliverTwice,
                    timeout,
                    sheetsEnv,
                    key);
        }

        public static Settings defaults() {
            return new Settings(
                    Optional.empty(),
                    FunctionsConfig.DEFAULT_RANGE_BYTES,
                    10,
                    30,
                    Runtime.getRuntime().availableProcessors(),
                    3,
                    Tolerances.DEFAULT,
                    DateOrder.DAY_FIRST,
                    false,
                    Duration.ofHours(1));
        }
    }

    /** What a local run produced. */
    public record Result(String runId, RunStatus status, int ranges, Duration uploadTime, Duration runTime) {}

    private final EmbeddedAws aws;
    private final boolean ownsAws;
    private final String bucket;
    private final Wiring wiring;
    private final LocalFunctions functions;
    private final LocalDriver driver;

    private LocalPipeline(
            EmbeddedAws aws,
            boolean ownsAws,
            String bucket,
            Wiring wiring,
            LocalFunctions functions,
            LocalDriver driver) {
        this.aws = aws;
        this.ownsAws = ownsAws;
        this.bucket = bucket;
        this.wiring = wiring;
        this.functions = functions;
        this.driver = driver;
    }

    /** Starts embedded S3 and SQS under {@code workDir} and the pipeline on them; closing stops both. */
    public static LocalPipeline start(Path workDir, Settings settings, Consumer<String> telemetryLines)
            throws Exception {
        EmbeddedAws aws = EmbeddedAws.start(workDir.resolve("s3"));
        try {
            return on(aws, true, BUCKET, settings, telemetryLines, UnaryOperator.identity());
        } catch (Exception e) {
            aws.close();
            throw e;
        }
    }

    /**
     * A pipeline on already running emulators, with its own bucket and queues; closing leaves them running.
     *
     * @param store wraps the functions' object store: tests inject S3 faults there, as a flaky S3 would
     */
    public static LocalPipeline on(
            EmbeddedAws aws,
            String bucket,
            Settings settings,
            Consumer<String> telemetryLines,
            UnaryOperator<ObjectStore> store) {
        return on(aws, false, bucket, settings, telemetryLines, store);
    }

    private static LocalPipeline on(
            EmbeddedAws aws,
            boolean owns,
            String bucket,
            Settings settings,
            Consumer<String> telemetryLines,
            UnaryOperator<ObjectStore> store) {
        aws.createBucket(bucket);
        int n = QUEUES.incrementAndGet();
        EmbeddedAws.Queues queues =
                aws.createQueues("tally-ranges-" + n, settings.maxReceiveCount(), settings.visibilitySeconds());
        EmbeddedAws.Queues reduces =
                aws.createQueues("tally-reduce-" + n, settings.maxReceiveCount(), settings.visibilitySeconds());
        EmbeddedAws.Queues publishes =
                aws.createQueues("tally-publish-" + n, settings.maxReceiveCount(), settings.visibilitySeconds());
        Map<String, String> env = new HashMap<>();
        env.put(Env.BUCKET, bucket);
        env.put(Env.RANGE_QUEUE_URL, queues.url());
        env.put(Env.REDUCE_QUEUE_URL, reduces.url());
        env.putAll(settings.extraEnv());
        boolean publishing = settings.extraEnv().containsKey(Env.SHEETS_REPORT);
        if (publishing) {
            env.put(Env.PUBLISH_QUEUE_URL, publishes.url());
        }
        env.put(Env.RANGE_BYTES, Long.toString(settings.rangeBytes()));
        env.put(Env.TOLERANCE_KG, settings.tolerances().kg().toPlainString());
        env.put(Env.TOLERANCE_PCT, settings.tolerances().pct().toPlainString());
        env.put(Env.DATE_ORDER, settings.dateOrder().cliName());
        settings.tier().ifPresent(t -> env.put(Env.FORCE_TIER, t.name()));
        Wiring wiring = new Wiring(
                FunctionsConfig.fromEnv(env),
                store.apply(new S3ObjectStore(aws.s3(), bucket)),
                new SqsMessageQueue(aws.sqs(), queues.url()),
                new SqsMessageQueue(aws.sqs(), reduces.url()),
                publishing ? Optional.of(new SqsMessageQueue(aws.sqs(), publishes.url())) : Optional.empty(),
                settings.googleKey(),
                Telemetry.to(telemetryLines));
        LocalFunctions functions = LocalFunctions.of(wiring);
        LocalDriver driver = new LocalDriver(
                wiring,
                aws.sqs(),
                queues,
                reduces,
                publishes,
                functions,
                new LocalDriver.Options(
                        settings.batchSize(),
                        settings.visibilitySeconds(),
                        settings.workers(),
                        settings.deliverTwice(),
                        settings.timeout()));
        return new LocalPipeline(aws, owns, bucket, wiring, functions, driver);
    }

    public String bucket() {
        return bucket;
    }

    public EmbeddedAws aws() {
        return aws;
    }

    public Wiring wiring() {
        return wiring;
    }

    public LocalFunctions functions() {
        return functions;
    }

    public LocalDriver driver() {
        return driver;
    }

    /** Uploads a tracker to {@code incoming/{tracker}/{name}}; returns the new object's ETag. */
    public String put(Tracker tracker, Path file) {
        String key = RunKeys.incoming(tracker) + file.getFileName();
        PutObjectResponse r = aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        return r.eTag();
    }

    /** Uploads both trackers, sends the upload event, and drives the run to its end. */
    public Result run(Path purchase, Path inventory, LocalDriver.Listener listener) {
        long t0 = System.nanoTime();
        put(Tracker.PURCHASE, purchase);
        String etag = put(Tracker.INVENTORY, inventory);
        long t1 = System.nanoTime();
        String answer =
                driver.upload(RunKeys.incoming(Tracker.INVENTORY) + inventory.getFileName(), size(inventory), etag);
        Planner.Planned planned = Json.read(answer, UploadAnswer.class).results()[0];
        String runId = planned.runId();
        if (runId.isEmpty()) {
            throw new IllegalStateException("the upload started no run: " + planned.outcome());
        }
        int ranges = wiring.ledger("local")
                .findManifest(runId)
                .map(Manifest::rangeCount)
                .orElse(0);
        RunStatus status = driver.status(runId)
                .filter(s -> s.state() != RunStatus.State.RUNNING)
                .orElseGet(() -> driver.drain(runId, ranges, listener));
        return new Result(runId, status, ranges, Duration.ofNanos(t1 - t0), Duration.ofNanos(System.nanoTime() - t1));
    }

    /**
     * Copies {@code reports/latest/} to {@code dir} as one report set: readers of {@code dir} see the previous
     * set or this one, never a mix ({@link ReportDirectory}).
     */
    public void copyLatest(Path dir) throws IOException {
        String runId = wiring.ledger("local").latest().map(Latest::runId).orElse("latest");
        ReportDirectory.of(dir).publish(runId, set -> {
            for (String name : ReportWriter.FILES) {
                try (InputStream in = wiring.store().open(RunKeys.LATEST + name)) {
                    Files.copy(in, set.resolve(name));
                }
            }
            return null;
        });
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The upload handler's answer. */
    public record UploadAnswer(Planner.Planned[] results) {}

    @Override
    public void close() throws IOException {
        if (ownsAws) {
            aws.close();
        }
    }
}
