package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.Functions;
import io.tally.functions.Priming;
import io.tally.functions.Wiring;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.RangeMessage;
import io.tally.functions.run.Worker;

/** The SQS-fed chunk worker. Reports only the failed message ids, so one bad range never fails the batch. */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Worker worker;
    private final Telemetry telemetry;

    public WorkerHandler() {
        this(Wiring.fromEnv());
        Priming.beforeSnapshot();
    }

    /** On given adapters: {@code tally local} drives the handler this way on the embedded S3 and SQS. */
    public WorkerHandler(Wiring wiring) {
        this.worker = wiring.worker();
        this.telemetry = wiring.telemetry();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(event, RangeMessage.class, Functions.WORKER, telemetry, (message, delivery) -> {
            worker.process(message, delivery);
            return SqsBatch.Result.DONE;
        });
    }
}
