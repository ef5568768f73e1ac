package io.tally.functions;

import io.tally.functions.aws.MessageQueue;
import io.tally.functions.aws.SqsMessageQueue;
import io.tally.functions.glue.GlueLauncher;
import io.tally.functions.glue.GlueState;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.Planner;
import io.tally.functions.run.Publisher;
import io.tally.functions.run.ReduceRequest;
import io.tally.functions.run.Reducer;
import io.tally.functions.run.Watchdog;
import io.tally.functions.run.Worker;
import io.tally.functions.sheets.SheetsConfig;
import io.tally.functions.sheets.SheetsExport;
import io.tally.functions.sheets.SheetsPublish;
import io.tally.names.Env;
import io.tally.names.MetricNames;
import io.tally.sheets.SheetsClient;
import io.tally.sheets.SheetsCredentials;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ObjectStore;
import io.tally.storage.run.RunLedger;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the run logic the handlers call, from configuration and the adapters: the object store, the range
 * queue and the reduce queue.
 */
public final class Wiring {
    private final FunctionsConfig config;
    private final ObjectStore store;
    private final MessageQueue ranges;
    private final MessageQueue reduces;
    private final Telemetry telemetry;
    private final Optional<MessageQueue> publishes;
    private final Supplier<byte[]> googleKey;
    // No SDK retries: StartJobRun has no idempotency token, so a retried request whose first try landed would
    // start a second job run. GlueLauncher retries what is safe to retry; the watchdog asks again next time.
    private Supplier<GlueClient> glue = () -> GlueClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();

    public Wiring(
            FunctionsConfig config, ObjectStore store, MessageQueue ranges, MessageQueue reduces, Telemetry telemetry) {
        this(
                config,
                store,
                ranges,
                reduces,
                Optional.empty(),
                () -> {
                    throw new IllegalStateException("no Google service-account key is configured");
                },
                telemetry);
    }

    /**
     * @param publishes where successful runs are announced for the Sheets publish, if anywhere
     * @param googleKey the Google service-account key (JSON), read when a Sheets call is first made
     */
    public Wiring(
            FunctionsConfig config,
            ObjectStore store,
            MessageQueue ranges,
            MessageQueue reduces,
            Optional<MessageQueue> publishes,
            Supplier<byte[]> googleKey,
            Telemetry telemetry) {
        this.config = config;
        this.store = store;
        this.ranges = ranges;
        this.reduces = reduces;
        this.publishes = publishes;
        this.googleKey = googleKey;
        this.telemetry = telemetry;
    }

    /** The wiring a Lambda container uses: configuration from its environment, real clients for its region. */
    public static Wiring fromEnv() {
        FunctionsConfig config = FunctionsConfig.fromEnv(System.getenv());
        S3Client s3 = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        SqsClient sqs = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        Supplier<byte[]> key = config.sheets()
                .map(s -> SheetsCredentials.fromSecretsManager(
                        SecretsManagerClient.builder()
                                .httpClientBuilder(UrlConnectionHttpClient.builder())
                                .build(),
                        s.secret()))
                .orElse(() -> {
                    throw new IllegalStateException("no Google service-account secret is configured");
                });
        Optional<MessageQueue> publishes = config.publishQueueUrl().isBlank()
                ? Optional.empty()
                : Optional.of(new SqsMessageQueue(sqs, config.publishQueueUrl()));
        return new Wiring(
                config,
                new S3ObjectStore(s3, config.bucket()),
                new SqsMessageQueue(sqs, config.rangeQueueUrl()),
                new SqsMessageQueue(sqs, config.reduceQueueUrl()),
                publishes,
                key,
                Telemetry.lambda());
    }

    /** The Glue client to start jobs with (tests point it at a local server speaking Glue's protocol). */
    public Wiring withGlue(GlueClient client) {
        this.glue = () -> client;
        return this;
    }

    public FunctionsConfig config() {
        return config;
    }

    public ObjectStore store() {
        return store;
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * The run ledger of one function: the one place its run state is read and written, named once here so no
     * method below takes a function's name. Its log lines and failure metric go through this wiring's telemetry.
     */
    public RunLedger ledger(String function) {
        return new RunLedger(store, function, new RunLedger.Events() {
            @Override
            public void log(String event, String runId, Map<String, ?> fields) {
                telemetry.log(function, event, runId, fields);
            }

            @Override
            public void failed(String runId, Tier tier, RunStatus.Fault fault) {
                telemetry
                        .metrics(function, tier, runId)
                        .count(MetricNames.RUNS_FAILED, 1)
                        .flush();
            }
        });
    }

    /** The publisher of successful runs for {@code ledger}'s function: it announces each on the publish queue. */
    private Publisher publisher(RunLedger ledger) {
        return new Publisher(ledger, telemetry, publishes);
    }

    public Reducer reducer() {
        RunLedger ledger = ledger(Functions.REDUCER);
        return new Reducer(ledger, reduces, ranges, publisher(ledger), telemetry);
    }

    public Planner planner() {
        RunLedger ledger = ledger(Functions.PLANNER);
        return new Planner(
                config,
                ledger,
                ranges,
                new ReduceRequest(ledger, reduces, telemetry),
                publisher(ledger),
                glueLauncher(),
                telemetry);
    }

    /** Starts the Glue job; on AWS with the region's Glue endpoint, in tests with the one given. */
    public Optional<GlueLauncher> glueLauncher() {
        if (config.glueJobName().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new GlueLauncher(
                glue.get(),
                config.glueJobName(),
                config.glueStartAttempts(),
                Duration.ofSeconds(2),
                new SecureRandom(),
                telemetry));
    }

    public GlueState glueFinish() {
        return glueFinish(ledger(Functions.GLUE_STATE));
    }

    private GlueState glueFinish(RunLedger ledger) {
        return new GlueState(ledger, publisher(ledger), telemetry);
    }

    public SheetsExport sheetsExport() {
        return new SheetsExport(sheets(), config.dateOrder(), store, sheetsClient(), telemetry);
    }

    public SheetsPublish sheetsPublish() {
        return new SheetsPublish(sheets(), ledger(Functions.SHEETS_PUBLISH), sheetsClient(), telemetry);
    }

    private SheetsConfig sheets() {
        return config.sheets()
                .orElseThrow(() -> new IllegalArgumentException("no Google Sheets are configured: set "
                        + Env.SHEETS_PURCHASE + ", " + Env.SHEETS_INVENTORY + " and "
                        + Env.SHEETS_REPORT));
    }

    private Supplier<SheetsClient> sheetsClient() {
        Supplier<SheetsClient> build = SheetsCredentials.client(
                sheets().endpoint(),
                sheets().readsPerMinute(),
                sheets().writesPerMinute(),
                sheets().attempts(),
                googleKey,
                (event, fields) -> telemetry.log("sheets", event, "", fields));
        return new Supplier<>() {
            private SheetsClient client;

            @Override
            public synchronized SheetsClient get() {
                if (client == null) {
                    client = build.get();
                }
                return client;
            }
        };
    }

    public Worker worker() {
        RunLedger ledger = ledger(Functions.WORKER);
        return new Worker(ledger, ranges, new ReduceRequest(ledger, reduces, telemetry), telemetry);
    }

    public Watchdog watchdog() {
        RunLedger ledger = ledger(Functions.WATCHDOG);
        return new Watchdog(config, ledger, telemetry, glueLauncher(), Optional.of(glueFinish(ledger)));
    }
}
