package io.tally.functions.run;

import io.tally.core.FlaggedKeys;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
        if (m.forInvoices()) {
            processInvoices(m, receiveCount);
            return;
        }
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
            failed(m, manifest, receiveCount, e, RunKeys.partial(m.runId(), m.range()));
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
        // A late delivery of a range whose run is already in its second round (invoices.csv) asks for nothing: the
        // reduce that sent the round has merged every partial, and the round's last worker asks again.
        if (store.head(RunKeys.flagged(m.runId())).isEmpty()) {
            reduce.request(m.runId());
        }
    }

    /**
     * Records why a range failed (best effort) and, on its last allowed delivery, fails the run, unless a
     * duplicate delivery of the same range already stored its partial.
     */
    /**
     * A second-round message: reads the span again for the run's flagged keys ({@code runs/{runId}/flagged}, which
     * the reducer wrote) and stores its sorted invoice lines; the worker that stores the last requests the reduce.
     */
    private void processInvoices(RangeMessage m, int receiveCount) {
        Manifest manifest = null;
        long started = System.nanoTime();
        RangePlan.Range span = m.range();
        String part = RunKeys.invoicePart(m.runId(), span.tracker(), span.n());
        try {
            manifest = ledger.manifest(m.runId());
            Manifest.Source in = manifest.source(span.tracker());
            ByteArrayOutputStream lines = new ByteArrayOutputStream();
            new Reconcile(manifest.order())
                    .readInvoices(
                            manifest.plan().layout(span.tracker()),
                            new S3ByteSource(store, in.key(), in.etag(), in.size()),
                            span.start(),
                            span.end(),
                            flagged(m.runId()),
                            lines);
            store.put(part, lines.toByteArray(), "application/octet-stream");
            ledger.touch(m.runId());
        } catch (InputFault e) {
            ledger.failInput(m.runId(), manifest.tier(), e.getMessage());
            return;
        } catch (IOException e) {
            UncheckedIOException u = new UncheckedIOException(e);
            failed(m, manifest, receiveCount, u, part);
            throw u;
        } catch (RuntimeException e) {
            failed(m, manifest, receiveCount, e, part);
            throw e;
        }
        telemetry.log(
                FUNCTION,
                "invoices.done",
                m.runId(),
                Map.of(
                        "span",
                        span.label(),
                        "bytes",
                        span.bytes(),
                        "ms",
                        (System.nanoTime() - started) / 1_000_000,
                        "delivery",
                        receiveCount));
        reduce.requestAfterInvoices(m.runId(), m.invoiceSpans());
    }

    /** The run's flagged keys, read once per container for the last few runs. */
    private FlaggedKeys flagged(String runId) {
        synchronized (flaggedByRun) {
            FlaggedKeys f = flaggedByRun.get(runId);
            if (f == null) {
                byte[] bytes = store.get(RunKeys.flagged(runId))
                        .orElseThrow(() -> new IllegalStateException(
                                "run " + runId + " has no flagged keys: the reducer did not write them"));
                f = FlaggedKeys.fromBytes(bytes);
                flaggedByRun.put(runId, f);
            }
            return f;
        }
    }

    private final Map<String, FlaggedKeys> flaggedByRun = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FlaggedKeys> eldest) {
            return size() > 2;
        }
    };

    private void failed(RangeMessage m, Manifest manifest, int receiveCount, RuntimeException e, String doneKey) {
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
            if (receiveCount >= last && store.head(doneKey).isEmpty()) {
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
