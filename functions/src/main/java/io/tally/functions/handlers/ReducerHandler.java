package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.Functions;
import io.tally.functions.Priming;
import io.tally.functions.Wiring;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.ReduceMessage;
import io.tally.functions.run.Reducer;

/**
 * The reduce function, fed by the reduce queue (one message per run). A reduce that throws is reported as
 * failed, so the queue retries it and, after its last allowed delivery, moves it to the dead-letter queue.
 */
public final class ReducerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Reducer reducer;
    private final Telemetry telemetry;

    public ReducerHandler() {
        this(Wiring.fromEnv());
        Priming.beforeSnapshot();
    }

    /** On given adapters: {@code tally local} drives the handler this way on the embedded S3 and SQS. */
    public ReducerHandler(Wiring wiring) {
        this.reducer = wiring.reducer();
        this.telemetry = wiring.telemetry();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // A live reducer holding the lease is no fault: the message comes again, in case that one dies.
        return SqsBatch.process(
                event,
                ReduceMessage.class,
                Functions.REDUCER,
                telemetry,
                (message, delivery) -> reducer.reduce(message.runId(), delivery) == Reducer.Outcome.BUSY
                        ? SqsBatch.Result.AGAIN
                        : SqsBatch.Result.DONE);
    }
}
