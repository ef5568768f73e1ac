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

/**
 * The reduce function, fed by the reduce queue (one message per run). A reduce that throws is reported as
 * failed, so the queue retries it and, after its last allowed delivery, moves it to the dead-letter queue.
 */
public final class ReduceHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Reducer reducer;

    public ReduceHandler() {
        this(Wiring.fromEnv());
    }

    /** On given adapters: {@code tally local} drives the handler this way on the embedded S3 and SQS. */
    public ReduceHandler(Wiring wiring) {
        this.reducer = wiring.reducer();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failed = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                ReduceMessage m = Json.read(message.getBody(), ReduceMessage.class);
                reducer.reduce(m.runId(), ChunkWorkerHandler.receiveCount(message));
            } catch (RuntimeException e) {
                failed.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failed);
    }
}
