package io.tally.functions.run;

import io.tally.functions.aws.MessageQueue;
import io.tally.functions.obs.Telemetry;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import java.util.List;
import java.util.Map;

/**
 * Asks for a run's reduce, once: the worker (or planner) that finds every partial stored takes the run's reduce
 * request lock and sends the one message to the reduce queue; every other caller sees the lock and leaves.
 */
public final class ReduceRequest {
    private final RunLedger ledger;
    private final MessageQueue reduceQueue;
    private final Telemetry telemetry;

    public ReduceRequest(RunLedger ledger, MessageQueue reduceQueue, Telemetry telemetry) {
        this.ledger = ledger;
        this.reduceQueue = reduceQueue;
        this.telemetry = telemetry;
    }

    /** Sends the run's reduce message if every partial is stored and no one else has; true if this call sent it. */
    public boolean request(String runId) {
        Manifest manifest = ledger.manifest(runId);
        int have = ledger.store().list(RunKeys.partials(runId)).size();
        if (have < manifest.rangeCount()) {
            return false;
        }
        return send(runId, have);
    }

    /**
     * After the second round: sends the run's reduce message again if the invoice lines of all {@code spans} spans
     * are stored and no one else has; true if this call sent it.
     */
    public boolean requestAfterInvoices(String runId, int spans) {
        int have = ledger.store().list(RunKeys.invoiceParts(runId)).size();
        if (have < spans) {
            return false;
        }
        return send(runId, have);
    }

    private boolean send(String runId, int have) {
        if (!ledger.takeReduceRequest(runId)) {
            telemetry.log(
                    ledger.function(), "reduce.skipped", runId, Map.of("why", "another worker requested the reduce"));
            return false;
        }
        try {
            reduceQueue.send(List.of(Json.text(new ReduceMessage(runId))));
        } catch (RuntimeException e) {
            // Let go of the lock, so that the retried range (or a resume) requests the reduce again.
            ledger.releaseReduceRequest(runId);
            throw e;
        }
        telemetry.log(ledger.function(), "reduce.requested", runId, Map.of("partials", have));
        return true;
    }
}
