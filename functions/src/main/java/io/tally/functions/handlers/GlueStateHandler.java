package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.tally.functions.Wiring;
import io.tally.functions.glue.GlueState;
import io.tally.functions.run.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** EventBridge "Glue Job State Change" (source {@code aws.glue}): finishes the run the job reduced. */
public final class GlueStateHandler implements RequestStreamHandler {
    private final GlueState finish;

    public GlueStateHandler() {
        this(Wiring.fromEnv());
    }

    /** On given adapters: the tests drive the handler this way. */
    public GlueStateHandler(Wiring wiring) {
        this.finish = wiring.glueFinish();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        JsonNode d = event.path("detail");
        GlueState.Outcome outcome =
                "Glue Job State Change".equals(event.path("detail-type").asText())
                        ? finish.onStateChange(
                                d.path("jobRunId").asText(),
                                d.path("state").asText(),
                                d.path("message").asText())
                        : GlueState.Outcome.IGNORED;
        output.write(Json.bytes(Map.of("outcome", outcome.name())));
    }
}
