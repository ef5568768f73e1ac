package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.Wiring;
import io.tally.functions.run.Json;
import io.tally.functions.run.ReduceMessage;
import io.tally.functions.run.Reducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.tally.functions.obs.Telemetry;

/**
 * The reduce function, fed by the reduce queue (one message per run). A reduce that throws is reported as
 * failed, so the queue retries it and, after its last allowed delivery, moves it to the dead-letter queue.
 */
public final class ReduceHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final String FUNCTION = "reducer";
    private final Reducer reducer;
    private final Telemetry telemetry;

    public ReduceHandler() {
        this(Wiring.fromEnv());
    }

    /** On given adapters: {@code tally local} drives the handler this way on the embedded S3 and SQS. */
    public ReduceHandler(Wiring wiring) {
        this.reducer = wiring.reducer();
        this.telemetry = wiring.telemetry();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failed = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                ReduceMessage m = Json.read(message.getBody(), ReduceMessage.class);
                reducer.reduce(m.runId(), ChunkWorkerHandler.receiveCount(message));
            } catch (RuntimeException e) {
                // Reported, then left to the queue: it redelivers, and after its last delivery the dead-letter
                // queue (and its alarm) holds the message, even one whose body does not parse.
                telemetry.log(FUNCTION, "message.failed", "", Map.of("messageId", message.getMessageId(),
                        "delivery", ChunkWorkerHandler.receiveCount(message), "cause", e.toString()));
                failed.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failed);
    }
}
