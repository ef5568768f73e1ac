package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.tally.functions.Wiring;
import io.tally.functions.run.Json;
import io.tally.functions.run.Watchdog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;

/** The scheduled check for stalled runs and missing uploads; its time is the event's {@code time}. */
public final class WatchdogHandler implements RequestStreamHandler {
    private final Watchdog watchdog;

    public WatchdogHandler() {
        this(Wiring.fromEnv());
    }

    /** On given adapters: {@code tally local} drives the handler this way on the embedded S3 and SQS. */
    public WatchdogHandler(Wiring wiring) {
        this.watchdog = wiring.watchdog();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        Instant now = event.hasNonNull("time") ? Instant.parse(event.get("time").asText()) : Instant.now();
        output.write(Json.bytes(watchdog.check(now)));
    }
}
