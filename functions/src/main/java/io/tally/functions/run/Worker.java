package io.tally.functions.run;

import io.tally.core.InputFault;
import io.tally.core.Partial;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.Reconcile;
import io.tally.functions.Functions;
import io.tally.functions.aws.MessageQueue;
import io.tally.functions.obs.Telemetry;
import io.tally.names.MetricNames;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ByteSource;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import io.tally.storage.run.Tier;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads one range into a partial and stores it at {@code runs/{runId}/partials/{tracker}-{n}}; a
 * redelivered message overwrites the same object, so a retry never double counts. The worker that stores a
 * run's last partial requests its reduce. A range that keeps failing marks the run failed on its last allowed
 * delivery, just before SQS moves it to the dead-letter queue. The manifest comes from the ledger, which caches it
 * for the container.
 */
public final class Worker {
    static final String FUNCTION = Functions.WORKER;

    private final RunLedger ledger;
    private final ObjectStore store;
    private final MessageQueue rangeQueue;
    private final ReduceRequest reduce;
    private final Telemetry telemetry;

    /** @param rangeQueue the queue this worker is fed from: its redrive policy says which delivery is the last */
    public Worker(RunLedger ledger, MessageQueue rangeQueue, ReduceRequest reduce, Telemetry telemetry) {
        this.ledger = ledger;
        this.store = ledger.store();
        this.rangeQueue = rangeQueue;
        this.reduce = reduce;
        this.telemetry = telemetry;
    }

    /**
     * Processes one range message. Throws if the range should be retried.
     *
     * @param receiveCount how many times SQS has delivered this message, this time included
     */
    public void process(RangeMessage m, int receiveCount) {
        Manifest manifest = null;
        long started = System.nanoTime();
        try {
            manifest = ledger.manifest(m.runId());
            RangePlan.Range range = m.range();
            Manifest.Source in = manifest.source(range.tracker());
            Partial partial = new Reconcile(manifest.order())
                    .readRange(manifest.plan(), range, new S3ByteSource(store, in.key(), in.etag(), in.size()));
            store.put(RunKeys.partial(m.runId(), range), PartialCodec.toBytes(partial), "application/octet-stream");
            ledger.touch(m.runId());
        } catch (InputFault e) {
            // Retrying cannot help: the run is over. Fail it now, loudly, and let the message go.
            ledger.failInput(m.runId(), manifest.tier(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            failed(m, manifest, receiveCount, e);
            throw e;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        telemetry
                .metrics(FUNCTION, manifest.tier(), m.runId())
                .bytes(MetricNames.BYTES_PROCESSED, m.range().bytes())
                .millis(MetricNames.RANGE_DURATION, millis)
                .flush();
        telemetry.log(
                FUNCTION,
                "range.done",
                m.runId(),
                Map.of("range", m.label(), "bytes", m.range().bytes(), "ms", millis, "delivery", receiveCount));
        reduce.request(m.runId());
    }

    /**
     * Records why a range failed (best effort) and, on its last allowed delivery, fails the run, unless a
     * duplicate delivery of the same range already stored its partial.
     */
    private void failed(RangeMessage m, Manifest manifest, int receiveCount, RuntimeException e) {
        int last = rangeQueue.lastDelivery();
        String reason = "range " + m.label() + " (bytes " + m.range().start() + "-"
                + m.range().end() + ") failed on delivery " + receiveCount
                + (last == Integer.MAX_VALUE ? "" : " of " + last) + ": " + e;
        telemetry.log(
                FUNCTION,
                "range.failed",
                m.runId(),
                Map.of("range", m.label(), "delivery", receiveCount, "reason", e.toString()));
        try {
            store.put(
                    RunKeys.error(m.runId(), m.range()),
                    reason.getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8");
            if (receiveCount >= last
                    && store.head(RunKeys.partial(m.runId(), m.range())).isEmpty()) {
                ledger.fail(
                        m.runId(),
                        manifest == null ? Tier.FANOUT : manifest.tier(),
                        reason + "; the message is in the dead-letter queue");
            }
        } catch (RuntimeException again) {
            e.addSuppressed(again);
        }
    }
}
