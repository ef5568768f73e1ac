package io.tally.functions;

import io.tally.functions.aws.MessageQueue;
import io.tally.functions.aws.ObjectStore;
import io.tally.functions.aws.S3ObjectStore;
import io.tally.functions.aws.SqsMessageQueue;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.ChunkWorker;
import io.tally.functions.run.Planner;
import io.tally.functions.run.Reducer;
import io.tally.functions.run.Watchdog;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
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

    public Wiring(FunctionsConfig config, ObjectStore store, MessageQueue ranges, MessageQueue reduces,
            Telemetry telemetry) {
        this.config = config;
        this.store = store;
        this.ranges = ranges;
        this.reduces = reduces;
        this.telemetry = telemetry;
    }

    /** The wiring a Lambda container uses: configuration from its environment, real clients for its region. */
    public static Wiring fromEnv() {
        FunctionsConfig config = FunctionsConfig.fromEnv(System.getenv());
        S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        SqsClient sqs = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        return new Wiring(config, new S3ObjectStore(s3, config.bucket()),
                new SqsMessageQueue(sqs, config.queueUrl()), new SqsMessageQueue(sqs, config.reduceQueueUrl()),
                Telemetry.lambda());
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

    public Reducer reducer() {
        return new Reducer(store, reduces, telemetry);
    }

    public Planner planner() {
        return new Planner(config, store, ranges, reducer(), telemetry);
    }

    public ChunkWorker worker() {
        return new ChunkWorker(store, ranges, reducer(), telemetry);
    }

    public Watchdog watchdog() {
        return new Watchdog(config, store, telemetry);
    }
}
