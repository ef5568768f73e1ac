package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.Functions;
import io.tally.functions.Wiring;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.sheets.SheetsPublish;

/**
 * The publish function, fed by the publish queue (one message per successful run). A publish that fails is
 * reported as failed, so the queue retries it and, after its last delivery, keeps it in its dead-letter queue.
 */
public final class SheetsPublishHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final SheetsPublish publish;
    private final Telemetry telemetry;

    public SheetsPublishHandler() {
        this(Wiring.fromEnv());
    }

    /** On given adapters: {@code tally local} and the tests drive the handler this way. */
    public SheetsPublishHandler(Wiring wiring) {
        this.publish = wiring.sheetsPublish();
        this.telemetry = wiring.telemetry();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(
                event, SheetsPublish.Message.class, Functions.SHEETS_PUBLISH, telemetry, (message, delivery) -> {
                    publish.publish(message.runId());
                    return SqsBatch.Result.DONE;
                });
    }
}
