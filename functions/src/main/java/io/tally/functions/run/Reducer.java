package io.tally.functions.run;

import io.tally.core.DateOrder;
import io.tally.core.Partial;
import io.tally.core.PartialCodec;
import io.tally.core.RangeReader;
import io.tally.core.SheetFormatException;
import io.tally.core.Stitcher;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import io.tally.functions.aws.ObjectChangedException;
import io.tally.functions.aws.ObjectStore;
import io.tally.functions.aws.S3ByteSource;
import io.tally.core.internal.Futures;
import io.tally.functions.obs.Telemetry;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;

/**
 * Turns a run's partials into its reports, once. Whichever worker first creates {@code runs/{runId}/_reduce}
 * (a conditional put) reduces; every other caller sees the lock and leaves. The reduce streams the
 * partials in file order through a {@link Stitcher} (re-reading any range whose start was guessed wrong),
 * merges them and publishes.
 */
public final class Reducer {
    private static final int PREFETCH = 4;
    private final ObjectStore store;
    private final Publisher publisher;
    private final Telemetry telemetry;

    public Reducer(ObjectStore store, Telemetry telemetry) {
        this.store = store;
        this.publisher = new Publisher(store, telemetry);
        this.telemetry = telemetry;
    }

    /** Reduces if every partial is there and no one else has; returns true if this call reduced. */
    public boolean tryReduce(String runId, String function) {
        Manifest manifest = Json.read(store.get(RunKeys.manifest(runId)).orElseThrow(
                () -> new IllegalStateException("run " + runId + " has no manifest")), Manifest.class);
        int have = store.list(RunKeys.partials(runId)).size();
        if (have < manifest.rangeCount()) {
            return false;
        }
        byte[] token = (function + " " + java.util.UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!store.putIfAbsent(RunKeys.reduceLock(runId), token, "text/plain")) {
            telemetry.log(function, "reduce.skipped", runId, Map.of("why", "another worker holds the reduce lock"));
            return false;
        }
        telemetry.log(function, "reduce.started", runId, Map.of("partials", have));
        try {
            Map<Tracker, TrackerTotals> totals = new EnumMap<>(Tracker.class);
            for (Tracker t : Tracker.values()) {
                totals.put(t, merge(manifest, manifest.input(t)));
            }
            publisher.publish(manifest, totals.get(Tracker.PURCHASE), totals.get(Tracker.INVENTORY), function);
        } catch (SheetFormatException | ObjectChangedException e) {
            release(runId);
            publisher.fail(runId, manifest.tier(), e.getMessage(), function);
        } catch (RuntimeException e) {
            // Let go of the lock first, so that a resume after the fix can reduce again.
            release(runId);
            publisher.fail(runId, manifest.tier(), "the reduce failed: " + e, function);
            throw e;
        }
        return true;
    }

    /**
     * Reads a partial, fetching it again if it is missing or does not decode: a redelivered message may be
     * rewriting the same object (the same bytes) at this moment, and a store whose overwrites are not atomic
     * (the emulator's filesystem store) can show a gap or a torn copy. S3 itself never does.
     */
    private Partial readPartial(String runId, Tracker tracker, int n) {
        String key = RunKeys.partial(runId, tracker, n);
        for (int attempt = 1; ; attempt++) {
            try (InputStream bytes = store.open(key)) {
                return PartialCodec.read(bytes);
            } catch (IOException | NoSuchKeyException e) {
                // Every partial was listed before the reduce began, so a missing one is being rewritten
                // right now by a redelivered message (a store without atomic overwrite shows a gap).
                if (attempt == 3) {
                    throw new UncheckedIOException("partial " + tracker.label() + "-" + n + " of run " + runId
                            + " is unreadable after 3 reads", e instanceof IOException io ? io : new IOException(e));
                }
                telemetry.log("reducer", "partial.reread", runId, Map.of("partial", key, "why", e.getMessage()));
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ie);
                }
            }
        }
    }

    private void release(String runId) {
        try {
            store.delete(RunKeys.reduceLock(runId));
        } catch (RuntimeException e) {
            telemetry.log("reducer", "lock.release-failed", runId, Map.of("why", e.toString()));
        }
    }

    private TrackerTotals merge(Manifest manifest, Manifest.Input in) {
        DateOrder order = manifest.order();
        RangeReader reader = new RangeReader(new S3ByteSource(store, in.key(), in.etag(), in.size()), in.layout(), order);
        Stitcher stitcher = new Stitcher(in.layout(), reader);
        Partial merged = Partial.empty(in.tracker());
        // Fetch a few partials ahead while merging in file order: the GETs overlap, memory stays bounded.
        ExecutorService fetchers = Executors.newFixedThreadPool(PREFETCH);
        try {
            Deque<Future<Partial>> ahead = new ArrayDeque<>();
            Iterator<Manifest.Range> ranges = in.ranges().iterator();
            while (ranges.hasNext() || !ahead.isEmpty()) {
                while (ranges.hasNext() && ahead.size() < PREFETCH) {
                    int n = ranges.next().n();
                    ahead.add(fetchers.submit(() -> readPartial(manifest.runId(), in.tracker(), n)));
                }
                stitcher.next(Futures.await(ahead.poll())).ifPresent(merged::absorb);
            }
        } finally {
            fetchers.shutdownNow();
        }
        if (stitcher.rereads() > 0) {
            telemetry.log("reducer", "ranges.reread", manifest.runId(), Map.of("tracker", in.tracker().label(),
                    "rereads", stitcher.rereads()));
        }
        return merged.finish(in.layout());
    }
}
