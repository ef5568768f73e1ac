package io.tally.functions;

import io.tally.functions.aws.ObjectStore;
import io.tally.functions.aws.RangeQueue;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.ChunkWorker;
import io.tally.functions.run.Planner;
import io.tally.functions.run.RangeMessage;
import io.tally.functions.run.Reducer;
import io.tally.functions.run.Watchdog;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the object graph the handlers need, from configuration and real SDK clients. */
public final class Wiring {
    private final FunctionsConfig config;
    private final ObjectStore store;
    private final RangeQueue queue;
    private final Telemetry telemetry;
    private final Reducer reducer;

    public Wiring(FunctionsConfig config, S3Client s3, SqsClient sqs, Telemetry telemetry) {
        this.config = config;
        this.store = new ObjectStore(s3, config.bucket());
        this.queue = new RangeQueue(sqs, config.queueUrl());
        this.telemetry = telemetry;
        this.reducer = new Reducer(store, telemetry);
    }

    /** The wiring a Lambda container uses: configuration from its environment, clients for its region. */
    public static Wiring fromEnv() {
        Map<String, String> env = System.getenv();
        return new Wiring(FunctionsConfig.fromEnv(env), s3(env.get(Env.S3_ENDPOINT)), sqs(env.get(Env.SQS_ENDPOINT)),
                Telemetry.lambda());
    }

    static S3Client s3(String endpoint) {
        var b = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint)).serviceConfiguration(S3Configuration.builder()
                    .pathStyleAccessEnabled(true).build());
        }
        return b.build();
    }

    static SqsClient sqs(String endpoint) {
        var b = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
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
        return reducer;
    }

    public Planner planner() {
        return new Planner(config, store, queue, reducer, telemetry);
    }

    public ChunkWorker worker() {
        return new ChunkWorker(config, store, reducer, telemetry);
    }

    public ChunkWorker worker(Consumer<RangeMessage> beforeRead) {
        return new ChunkWorker(config, store, reducer, telemetry, beforeRead);
    }

    public Watchdog watchdog() {
        return new Watchdog(config, store, telemetry);
    }
}
