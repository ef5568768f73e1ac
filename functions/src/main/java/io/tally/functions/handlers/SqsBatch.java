package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Partial batch failure for the SQS-fed functions: each message body is decoded once, here, into its message
 * record, and handled on its own; only the ids of those that are to come again are reported, so one bad message
 * never fails the batch. A message that fails (one whose body does not decode included) is logged at ERROR with
 * its id, its delivery and the cause, then left to the queue: it redelivers, and after its last delivery the
 * dead-letter queue (and its alarm) holds it. A message whose handler says {@link Result#AGAIN} (an expected state,
 * such as a reduce another invocation is running) is handed back too, logged at INFO.
 */
final class SqsBatch {
    /** What handling one message came to. */
    enum Result {
        DONE,
        /** Not now: deliver it again after its visibility timeout (nothing is wrong). */
        AGAIN
    }

    /** Handles one decoded message; throws to have it redelivered as a failure. */
    @FunctionalInterface
    interface MessageHandler<M> {
        Result handle(M message, int receiveCount);
    }

    private SqsBatch() {}

    static <M> SQSBatchResponse process(
            SQSEvent event, Class<M> type, String function, Telemetry telemetry, MessageHandler<M> handler) {
        List<SQSBatchResponse.BatchItemFailure> again = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            int delivery = receiveCount(message);
            try {
                if (handler.handle(Json.read(message.getBody(), type), delivery) == Result.AGAIN) {
                    telemetry.log(
                            function,
                            "message.again",
                            "",
                            Map.of("messageId", message.getMessageId(), "delivery", delivery));
                    again.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            } catch (RuntimeException e) {
                telemetry.log(
                        function,
                        "message.failed",
                        "",
                        Map.of("messageId", message.getMessageId(), "delivery", delivery, "cause", e.toString()));
                again.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(again);
    }

    /** SQS's ApproximateReceiveCount: 1 on the first delivery. */
    static int receiveCount(SQSEvent.SQSMessage message) {
        String n =
                message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        return n == null ? 1 : Integer.parseInt(n);
    }
}
