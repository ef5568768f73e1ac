package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.Wiring;
import io.tally.functions.run.ChunkWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.tally.functions.obs.Telemetry;

/** The SQS-fed chunk worker. Reports only the failed message ids, so one bad range never fails the batch. */
public final class ChunkWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final String FUNCTION = "worker";
    private final ChunkWorker worker;
    private final Telemetry telemetry;

    public ChunkWorkerHandler() {
        this(Wiring.fromEnv());
    }

    /** On given adapters: {@code tally local} drives the handler this way on the embedded S3 and SQS. */
    public ChunkWorkerHandler(Wiring wiring) {
        this.worker = wiring.worker();
        this.telemetry = wiring.telemetry();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failed = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                worker.process(message.getBody(), receiveCount(message));
            } catch (RuntimeException e) {
                // Reported, then left to the queue: it redelivers, and after its last delivery the dead-letter
                // queue (and its alarm) holds the message, even one whose body does not parse.
                telemetry.log(FUNCTION, "message.failed", "", Map.of("messageId", message.getMessageId(),
                        "delivery", receiveCount(message), "cause", e.toString()));
                failed.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failed);
    }

    static int receiveCount(SQSEvent.SQSMessage message) {
        String n = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        return n == null ? 1 : Integer.parseInt(n);
    }
}
