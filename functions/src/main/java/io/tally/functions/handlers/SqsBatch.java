package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.obs.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Partial batch failure for the SQS-fed functions: each message is handled on its own, and only the ids of
 * those that threw are reported, so one bad message never fails the batch. A failure is logged with the
 * message id, its delivery and the cause, then left to the queue: it redelivers, and after its last delivery
 * the dead-letter queue (and its alarm) holds the message, even one whose body does not parse.
 */
final class SqsBatch {
    /** Handles one message body; throws to have it redelivered. */
    @FunctionalInterface
    interface MessageHandler {
        void handle(String body, int receiveCount);
    }

    private SqsBatch() {}

    static SQSBatchResponse process(SQSEvent event, String function, Telemetry telemetry, MessageHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failed = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            int delivery = receiveCount(message);
            try {
                handler.handle(message.getBody(), delivery);
            } catch (RuntimeException e) {
                telemetry.log(function, "message.failed", "", Map.of("messageId", message.getMessageId(),
                        "delivery", delivery, "cause", e.toString()));
                failed.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failed);
    }

    /** SQS's ApproximateReceiveCount: 1 on the first delivery. */
    static int receiveCount(SQSEvent.SQSMessage message) {
        String n = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        return n == null ? 1 : Integer.parseInt(n);
    }
}
