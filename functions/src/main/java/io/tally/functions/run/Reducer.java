package io.tally.functions.run;

import io.tally.core.FlaggedKeys;
import io.tally.core.InputFault;
import io.tally.core.Invoices;
import io.tally.core.OrderedMerge;
import io.tally.core.Partial;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.Reconcile;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import io.tally.functions.Functions;
import io.tally.functions.aws.MessageQueue;
import io.tally.functions.obs.Telemetry;
import io.tally.names.Env;
import io.tally.names.MetricNames;
import io.tally.storage.ObjectStore;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a run's partials into its reports, once, in a function of its own, fed by the reduce queue (see
 * {@link ReduceRequest} for who sends the run's one message). It holds a lease ({@code _reducing.N}, a conditional
 * put, through the {@link RunLedger}) while it merges, so a duplicate delivery never writes as well; it streams
 * the partials in file order through core's {@link OrderedMerge} (re-reading any range whose start was guessed
 * wrong) and publishes. A failure is retried by the queue; the last allowed delivery fails the run.
 */
public final class Reducer {
    static final String FUNCTION = Functions.REDUCER;
    /** Partials fetched at once while merging. */
    private static final int PREFETCH = 4;

    private final RunLedger ledger;
    private final ObjectStore store;
    private final MessageQueue reduceQueue;
    private final MessageQueue rangeQueue;
    private final Publisher publisher;
    private final Telemetry telemetry;

    /**
     * @param reduceQueue the queue this reducer is fed from: its redrive policy says which delivery is the last
     * @param rangeQueue  the workers' queue, for the second round ({@code invoices.csv})
     */
    public Reducer(
            RunLedger ledger,
            MessageQueue reduceQueue,
            MessageQueue rangeQueue,
            Publisher publisher,
            Telemetry telemetry) {
        this.ledger = ledger;
        this.store = ledger.store();
        this.reduceQueue = reduceQueue;
        this.rangeQueue = rangeQueue;
        this.publisher = publisher;
        this.telemetry = telemetry;
    }

    /** What a delivery of the reduce message came to. */
    public enum Outcome {
        /** This call merged the partials and published the reports. */
        REDUCED,
        /** The run had already succeeded: a duplicate delivery. */
        ALREADY_DONE,
        /**
         * Some keys are not OK and the invoice lines of some spans are missing: the second round went to the
         * workers, whose last one requests the reduce again.
         */
        INVOICES_REQUESTED,
        /** A live reducer holds the lease: the queue should deliver the message again later. */
        BUSY,
        /** The input is unreadable or was replaced: the run is failed, retrying cannot help. */
        INPUT_FAILED,
        /** The run needs more memory than the reducer has: the run is failed, retrying cannot help. */
        TOO_LARGE
    }

    /**
     * Reduces the run unless it already succeeded or a live reducer holds the lease. Exactly one call
     * publishes, whatever the race: the lease is a conditional put, and the status is read again once it is
     * held. The lease stays after a success, so a late duplicate finds the run done; a failure lets it go, so
     * the queue's retry can reduce at once. Throws when the reduce should be retried.
     *
     * @param receiveCount how many times the queue has delivered this request, this time included
     */
    public Outcome reduce(String runId, int receiveCount) {
        Manifest manifest = ledger.manifest(runId);
        if (ledger.succeeded(runId)) {
            telemetry.log(FUNCTION, "reduce.skipped", runId, Map.of("why", "the run already succeeded"));
            return Outcome.ALREADY_DONE;
        }
        Optional<String> lease = ledger.takeLease(runId);
        if (lease.isEmpty()) {
            telemetry.log(
                    FUNCTION,
                    "reduce.busy",
                    runId,
                    Map.of("why", "a live reducer holds the lease", "delivery", receiveCount));
            return Outcome.BUSY;
        }
        if (ledger.succeeded(runId)) {
            // Another reducer published between the first look and the lease: nothing is left to do.
            telemetry.log(FUNCTION, "reduce.skipped", runId, Map.of("why", "the run succeeded meanwhile"));
            return Outcome.ALREADY_DONE;
        }
        long started = System.nanoTime();
        ledger.touch(runId);
        telemetry.log(
                FUNCTION,
                "reduce.started",
                runId,
                Map.of("partials", manifest.rangeCount(), "delivery", receiveCount, "lease", lease.get()));
        Reconcile run = new Reconcile(manifest.order());
        try {
            OrderedMerge.Merged merged = run.merge(
                    manifest.plan(),
                    manifest.byteSources(store),
                    (range, reader) -> readPartial(runId, range),
                    PREFETCH);
            for (Tracker t : Tracker.values()) {
                if (merged.rereads().get(t) > 0) {
                    telemetry.log(
                            FUNCTION,
                            "ranges.reread",
                            runId,
                            Map.of(
                                    "tracker",
                                    t.label(),
                                    "rereads",
                                    merged.rereads().get(t)));
                }
            }
            FlaggedKeys flagged = Reconcile.flagged(merged.totals(), manifest.tolerances());
            List<RangePlan.Range> spans = spans(merged.totals());
            if (!flagged.isEmpty() && secondRound(runId, flagged, spans, lease.get())) {
                return Outcome.INVOICES_REQUESTED;
            }
            try (Invoices invoices = gather(runId, flagged, spans)) {
                publisher.publish(
                        manifest, merged.totals(Tracker.PURCHASE), merged.totals(Tracker.INVENTORY), invoices);
            }
            telemetry
                    .metrics(FUNCTION, manifest.tier(), runId)
                    .millis(MetricNames.REDUCE_DURATION, (System.nanoTime() - started) / 1_000_000)
                    .flush();
            return Outcome.REDUCED;
        } catch (InputFault e) {
            // The input is at fault: retrying cannot help. Fail the run and let the message go.
            ledger.releaseLease(lease.get(), runId);
            ledger.failInput(runId, manifest.tier(), e.getMessage());
            return Outcome.INPUT_FAILED;
        } catch (OutOfMemoryError e) {
            // The same input in the same memory runs out again on every delivery: fail the run now, saying what it
            // held, and free both locks so that a resume after the fix can reduce again.
            ledger.releaseLease(lease.get(), runId);
            ledger.releaseReduceRequest(runId);
            ledger.fail(
                    runId,
                    manifest.tier(),
                    "the reducer ran out of memory (" + e.getMessage() + ") holding "
                            + run.memory().describe()
                            + "; give the reducer more memory, or send runs this large to the Glue job (lower "
                            + Env.GLUE_MIN_BYTES + ")");
            return Outcome.TOO_LARGE;
        } catch (RuntimeException e) {
            ledger.releaseLease(lease.get(), runId);
            telemetry.log(FUNCTION, "reduce.failed", runId, Map.of("delivery", receiveCount, "reason", e.toString()));
            int last = reduceQueue.lastDelivery();
            if (receiveCount >= last) {
                // The queue moves the message to its dead-letter queue now. Free the request lock, so a resume
                // after the fix (a re-upload) can request the reduce again.
                ledger.releaseReduceRequest(runId);
                ledger.fail(
                        runId,
                        manifest.tier(),
                        "the reduce failed on delivery " + receiveCount + " of " + last + ": " + e
                                + "; the message is in the reduce dead-letter queue");
            }
            throw e;
        }
    }

    /** Each tracker's spans that hold accepted rows, numbered per tracker: the second round's work. */
    private static List<RangePlan.Range> spans(Map<Tracker, TrackerTotals> totals) {
        List<RangePlan.Range> spans = new ArrayList<>();
        for (Tracker t : Tracker.values()) {
            long[] s = totals.get(t).spans();
            for (int i = 0; i < s.length; i += 2) {
                spans.add(new RangePlan.Range(t, i / 2, s[i], s[i + 1]));
            }
        }
        return spans;
    }

    /**
     * Sends the second round, for the spans whose invoice lines are not stored yet, and lets both locks go so that
     * the worker storing the last can request the reduce again; false when every span's lines are stored.
     */
    private boolean secondRound(String runId, FlaggedKeys flagged, List<RangePlan.Range> spans, String lease) {
        Set<String> stored = new HashSet<>();
        for (ObjectStore.Info i : store.list(RunKeys.invoiceParts(runId))) {
            stored.add(i.key());
        }
        List<RangePlan.Range> missing = spans.stream()
                .filter(s -> !stored.contains(RunKeys.invoicePart(runId, s.tracker(), s.n())))
                .toList();
        if (missing.isEmpty()) {
            return false;
        }
        store.put(RunKeys.flagged(runId), flagged.toBytes(), "application/octet-stream");
        ledger.releaseReduceRequest(runId);
        ledger.releaseLease(lease, runId);
        rangeQueue.send(missing.stream()
                .map(s -> Json.text(new RangeMessage(runId, s, spans.size())))
                .toList());
        telemetry.log(
                FUNCTION,
                "invoices.requested",
                runId,
                Map.of("flaggedKeys", flagged.size(), "spans", spans.size(), "sent", missing.size()));
        return true;
    }

    /** The invoice lines the workers stored, one sorted run a span, copied to local disk for the merge. */
    private Invoices gather(String runId, FlaggedKeys flagged, List<RangePlan.Range> spans) {
        Invoices invoices = new Invoices();
        if (flagged.isEmpty()) {
            return invoices;
        }
        try {
            for (RangePlan.Range s : spans) {
                try (InputStream in = store.open(RunKeys.invoicePart(runId, s.tracker(), s.n()))) {
                    invoices.addRun(in);
                }
            }
            return invoices;
        } catch (IOException e) {
            invoices.close();
            throw new UncheckedIOException("the invoice lines of run " + runId + " are unreadable", e);
        } catch (RuntimeException e) {
            invoices.close();
            throw e;
        }
    }

    /**
     * Reads a partial, fetching it again if it is missing or does not decode: a redelivered range message
     * may be rewriting the same object (the same bytes) at this moment, and a store whose overwrites are not
     * atomic (the emulator's filesystem store) can show a gap or a torn copy. S3 itself never does.
     */
    private Partial readPartial(String runId, RangePlan.Range range) {
        String key = RunKeys.partial(runId, range);
        for (int attempt = 1; ; attempt++) {
            try (InputStream bytes = store.open(key)) {
                return PartialCodec.read(bytes);
            } catch (IOException e) { // NoSuchFileException included
                retryOrThrow(runId, range, key, attempt, e);
            }
        }
    }

    private void retryOrThrow(String runId, RangePlan.Range range, String key, int attempt, IOException e) {
        if (attempt == 3) {
            throw new UncheckedIOException(
                    "partial " + range.label() + " of run " + runId + " is unreadable after 3 reads", e);
        }
        telemetry.log(FUNCTION, "partial.reread", runId, Map.of("partial", key, "why", String.valueOf(e.getMessage())));
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ie);
        }
    }
}
