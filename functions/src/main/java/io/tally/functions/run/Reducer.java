package io.tally.functions.run;

import io.tally.names.Env;
import io.tally.names.MetricNames;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;

import io.tally.core.MemoryUse;
import io.tally.core.OrderedMerge;
import io.tally.core.Partial;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.SheetFormatException;
import io.tally.core.Tracker;
import io.tally.functions.aws.MessageQueue;
import io.tally.storage.ObjectChangedException;
import io.tally.storage.ObjectStore;
import io.tally.functions.obs.Telemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a run's partials into its reports, once, in a function of its own.
 * <ul>
 *   <li>{@link #request}: the worker that finds every partial stored creates {@code runs/{runId}/_reduce}
 *       (a conditional put) and sends the run's one message to the reduce queue; every other worker sees the
 *       lock and leaves.</li>
 *   <li>{@link #reduce}: the reduce function, fed by that queue. It holds {@code _reducing} (a conditional
 *       put) while it merges, so a duplicate delivery never writes as well; it streams the partials in file
 *       order through core's {@link OrderedMerge} (re-reading any range whose start was guessed wrong) and
 *       publishes. A failure is retried by the queue; the last allowed delivery fails the run.</li>
 * </ul>
 */
public final class Reducer {
    static final String FUNCTION = "reducer";
    /** Partials fetched at once while merging. */
    private static final int PREFETCH = 4;
    /** A Lambda invocation lives at most this long: a lock older than that belongs to a dead invocation. */
    static final Duration LAMBDA_MAX_LIFETIME = Duration.ofMinutes(15);

    private final ObjectStore store;
    private final MessageQueue reduceQueue;
    private final Publisher publisher;
    private final Telemetry telemetry;

    /** @param reduceQueue where reduce requests go; its redrive policy says which delivery is the last */
    public Reducer(ObjectStore store, MessageQueue reduceQueue, Publisher publisher, Telemetry telemetry) {
        this.store = store;
        this.reduceQueue = reduceQueue;
        this.publisher = publisher;
        this.telemetry = telemetry;
    }

    /**
     * Sends the run's reduce message if every partial is stored and no one else has; returns true if this
     * call sent it.
     */
    public boolean request(String runId, String function) {
        Manifest manifest = manifest(runId);
        int have = store.list(RunKeys.partials(runId)).size();
        if (have < manifest.rangeCount()) {
            return false;
        }
        if (!store.putIfAbsent(RunKeys.reduceLock(runId), token(function), "text/plain")) {
            telemetry.log(function, "reduce.skipped", runId, Map.of("why", "another worker requested the reduce"));
            return false;
        }
        try {
            reduceQueue.send(List.of(new String(Json.bytes(new ReduceMessage(runId)), StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            // Let go of the lock, so that the retried range (or a resume) requests the reduce again.
            release(RunKeys.reduceLock(runId), runId, function);
            throw e;
        }
        telemetry.log(function, "reduce.requested", runId, Map.of("partials", have));
        return true;
    }

    /** What a delivery of the reduce message came to. */
    public enum Outcome {
        /** This call merged the partials and published the reports. */
        REDUCED,
        /** The run had already succeeded: a duplicate delivery. */
        ALREADY_DONE,
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
        Manifest manifest = manifest(runId);
        if (succeeded(runId)) {
            telemetry.log(FUNCTION, "reduce.skipped", runId, Map.of("why", "the run already succeeded"));
            return Outcome.ALREADY_DONE;
        }
        Optional<String> lease = takeLease(runId);
        if (lease.isEmpty()) {
            telemetry.log(FUNCTION, "reduce.busy", runId, Map.of("why", "a live reducer holds the lease",
                    "delivery", receiveCount));
            return Outcome.BUSY;
        }
        if (succeeded(runId)) {
            // Another reducer published between the first look and the lease: nothing is left to do.
            telemetry.log(FUNCTION, "reduce.skipped", runId, Map.of("why", "the run succeeded meanwhile"));
            return Outcome.ALREADY_DONE;
        }
        long started = System.nanoTime();
        publisher.touch(runId);
        telemetry.log(FUNCTION, "reduce.started", runId, Map.of("partials", manifest.rangeCount(),
                "delivery", receiveCount, "lease", lease.get()));
        try {
            OrderedMerge.Merged merged = OrderedMerge.merge(manifest.plan(), manifest.byteSources(store),
                    manifest.order(), (range, reader) -> readPartial(runId, range), PREFETCH);
            for (Tracker t : Tracker.values()) {
                if (merged.rereads().get(t) > 0) {
                    telemetry.log(FUNCTION, "ranges.reread", runId, Map.of("tracker", t.label(),
                            "rereads", merged.rereads().get(t)));
                }
            }
            publisher.publish(manifest, merged.totals(Tracker.PURCHASE), merged.totals(Tracker.INVENTORY), FUNCTION);
            telemetry.metrics(FUNCTION, manifest.tier(), runId)
                    .millis(MetricNames.REDUCE_DURATION, (System.nanoTime() - started) / 1_000_000).flush();
            return Outcome.REDUCED;
        } catch (SheetFormatException | ObjectChangedException e) {
            // The input is at fault: retrying cannot help. Fail the run and let the message go.
            release(lease.get(), runId, FUNCTION);
            publisher.failInput(runId, manifest.tier(), e.getMessage(), FUNCTION);
            return Outcome.INPUT_FAILED;
        } catch (OutOfMemoryError e) {
            // The same input in the same memory runs out again on every delivery: fail the run now, saying what it
            // held, and free both locks so that a resume after the fix can reduce again.
            release(lease.get(), runId, FUNCTION);
            release(RunKeys.reduceLock(runId), runId, FUNCTION);
            publisher.fail(runId, manifest.tier(), "the reducer ran out of memory (" + e.getMessage() + ") holding "
                    + MemoryUse.describe()
                    + "; give the reducer more memory, or send runs this large to the Glue job (lower "
                    + Env.GLUE_MIN_BYTES + ")", FUNCTION);
            return Outcome.TOO_LARGE;
        } catch (RuntimeException e) {
            release(lease.get(), runId, FUNCTION);
            telemetry.log(FUNCTION, "reduce.failed", runId, Map.of("delivery", receiveCount, "reason", e.toString()));
            int last = ChunkWorker.lastDelivery(reduceQueue);
            if (receiveCount >= last) {
                // The queue moves the message to its dead-letter queue now. Free the request lock, so a resume
                // after the fix (a re-upload) can request the reduce again.
                release(RunKeys.reduceLock(runId), runId, FUNCTION);
                publisher.fail(runId, manifest.tier(), "the reduce failed on delivery " + receiveCount + " of "
                        + last + ": " + e + "; the message is in the reduce dead-letter queue",
                        FUNCTION);
            }
            throw e;
        }
    }

    /**
     * Takes the next lease generation, unless the newest one is younger than a Lambda can live (its holder may
     * be working). Of several callers, at most one creates a given generation.
     */
    private Optional<String> takeLease(String runId) {
        String prefix = RunKeys.reducingLeases(runId);
        int newest = 0;
        Instant newestAt = Instant.EPOCH;
        for (ObjectStore.Info lease : store.list(prefix)) {
            try {
                int g = Integer.parseInt(lease.key().substring(prefix.length()));
                if (g > newest) {
                    newest = g;
                    newestAt = lease.lastModified();
                }
            } catch (NumberFormatException e) {
                // not a lease of this scheme: ignore it
            }
        }
        if (newest > 0 && newestAt.isAfter(Instant.now().minus(LAMBDA_MAX_LIFETIME))) {
            return Optional.empty();
        }
        String key = RunKeys.reducingLease(runId, newest + 1);
        if (newest > 0) {
            telemetry.log(FUNCTION, "lease.taken-over", runId, Map.of("from", prefix + newest,
                    "since", newestAt.toString()));
        }
        return store.putIfAbsent(key, token(FUNCTION), "text/plain") ? Optional.of(key) : Optional.empty();
    }

    private boolean succeeded(String runId) {
        return status(runId).filter(s -> s.state() == RunStatus.State.SUCCEEDED).isPresent();
    }

    /**
     * Before a resume: clears the reduce request lock and leases an invocation that was killed left behind. A
     * lock younger than a Lambda can live may belong to a reduce still running, so it stays.
     */
    void clearStaleLocks(String runId, String function) {
        Instant cutoff = Instant.now().minus(LAMBDA_MAX_LIFETIME);
        List<ObjectStore.Info> locks = new java.util.ArrayList<>(store.list(RunKeys.reducingLeases(runId)));
        store.head(RunKeys.reduceLock(runId)).ifPresent(locks::add);
        for (ObjectStore.Info lock : locks) {
            if (lock.lastModified().isBefore(cutoff)) {
                store.delete(lock.key());
                telemetry.log(function, "lock.cleared", runId, Map.of("lock", lock.key(),
                        "since", lock.lastModified().toString()));
            }
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
            throw new UncheckedIOException("partial " + range.label() + " of run " + runId
                    + " is unreadable after 3 reads", e);
        }
        telemetry.log(FUNCTION, "partial.reread", runId, Map.of("partial", key, "why", String.valueOf(e.getMessage())));
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ie);
        }
    }

    private Manifest manifest(String runId) {
        return Json.read(store.get(RunKeys.manifest(runId)).orElseThrow(
                () -> new IllegalStateException("run " + runId + " has no manifest")), Manifest.class);
    }

    private Optional<RunStatus> status(String runId) {
        return store.get(RunKeys.status(runId)).map(b -> Json.read(b, RunStatus.class));
    }

    private void release(String key, String runId, String function) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            telemetry.log(function, "lock.release-failed", runId, Map.of("lock", key, "why", e.toString()));
        }
    }

    /** Lock bytes unique to the caller (see {@link ObjectStore#putIfAbsent}). */
    private static byte[] token(String function) {
        return (function + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }
}
