package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.tally.functions.Priming;
import io.tally.functions.Wiring;
import io.tally.functions.run.Json;
import io.tally.functions.run.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S3 {@code Object Created}, in both shapes AWS delivers it: a direct S3 event notification
 * ({@code Records[].s3}, keys URL-encoded) or an EventBridge event ({@code detail.object.key}). Each
 * created key goes to the {@link Planner}.
 */
public final class PlannerHandler implements RequestStreamHandler {
    private final Planner planner;
    private final String bucket;

    public PlannerHandler() {
        this(Wiring.fromEnv());
        Priming.beforeSnapshot();
    }

    /** On given adapters: {@code tally local} drives the handler this way on the embedded S3 and SQS. */
    public PlannerHandler(Wiring wiring) {
        this.planner = wiring.planner();
        this.bucket = wiring.config().bucket();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<Planner.Planned> results = new ArrayList<>();
        for (String key : createdKeys(Json.MAPPER.readTree(input), bucket)) {
            results.add(planner.onUpload(key));
        }
        output.write(Json.bytes(Map.of("results", results)));
    }

    /** The keys an event says were created in {@code bucket}; other buckets and event types are left out. */
    static List<String> createdKeys(JsonNode event, String bucket) {
        List<String> keys = new ArrayList<>();
        if (event.has("Records")) {
            for (JsonNode r : event.get("Records")) {
                JsonNode s3 = r.path("s3");
                if (r.path("eventName").asText().startsWith("ObjectCreated:")
                        && bucket.equals(s3.path("bucket").path("name").asText())) {
                    keys.add(URLDecoder.decode(s3.path("object").path("key").asText(), StandardCharsets.UTF_8));
                }
            }
        } else if ("Object Created".equals(event.path("detail-type").asText())
                && bucket.equals(
                        event.path("detail").path("bucket").path("name").asText())) {
            keys.add(event.path("detail").path("object").path("key").asText());
        }
        return keys;
    }
}
