package io.tally.core;

import io.tally.core.internal.Futures;
import io.tally.core.internal.OfficerDictionary;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one merger every path uses. It takes the partial of each range of a {@link RangePlan} in file order,
 * checks that each range's first record starts where the previous range's last one ended, re-reads a range
 * whose start was guessed wrong (a quoted newline looks like a line end), and merges. A few ranges are
 * fetched ahead on a small pool, so memory holds the merged totals plus a handful of partials, whatever the
 * number of ranges.
 */
public final class OrderedMerge {

    /**
     * Gives the partial of one range: the local engine reads it with {@code reader}, the serverless reducer
     * and the Spark driver load the one a worker already computed. Called from the merge's own threads.
     */
    @FunctionalInterface
    public interface Fetch {
        Partial fetch(RangePlan.Range range, RangeReader reader);
    }

    /**
     * What the merge produced.
     *
     * @param totals  each tracker, fully read
     * @param rereads per tracker, how many ranges were read again because their start was guessed wrong
     * @param memory  what the run held, as the merge counted it
     */
    public record Merged(Map<Tracker, TrackerTotals> totals, Map<Tracker, Long> rereads, MemoryUse memory) {
        public TrackerTotals totals(Tracker tracker) {
            return totals.get(tracker);
        }
    }

    private OrderedMerge() {}

    /**
     * @param plan        the ranges, as cut for this run
     * @param sources     each tracker's bytes, for re-reads
     * @param dateOrder   how {@code d/M/yyyy} dates are read
     * @param fetch       gives each range's partial
     * @param parallelism how many fetches run at once; twice as many are in flight
     * @param memory      the run's counts, kept up to date as partials merge
     * @throws SheetFormatException  if a tracker is unreadable (the row is named)
     * @throws IllegalStateException if the partials do not tile the files
     */
    static Merged merge(
            RangePlan plan,
            Map<Tracker, ? extends ByteSource> sources,
            DateOrder dateOrder,
            Fetch fetch,
            int parallelism,
            MemoryUse memory) {
        Objects.requireNonNull(fetch, "fetch");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        Map<Tracker, RangeReader> readers = new EnumMap<>(Tracker.class);
        Map<Tracker, Stitcher> stitchers = new EnumMap<>(Tracker.class);
        Map<Tracker, Partial> merged = new EnumMap<>(Tracker.class);
        OfficerDictionary officers = new OfficerDictionary();
        for (Tracker t : Tracker.values()) {
            Layout layout = plan.layout(t);
            RangeReader reader =
                    new RangeReader(Objects.requireNonNull(sources.get(t), t.label()), layout, dateOrder, memory);
            readers.put(t, reader);
            stitchers.put(t, new Stitcher(layout, reader));
            merged.put(t, Partial.empty(t, officers));
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread th = new Thread(r, "tally-merge");
            th.setDaemon(true);
            return th;
        });
        try {
            Deque<Future<Partial>> inFlight = new ArrayDeque<>();
            Deque<RangePlan.Range> waiting = new ArrayDeque<>();
            Iterator<RangePlan.Range> next = plan.workOrder().iterator();
            int window = parallelism * 2;
            long rejected = 0;
            while (next.hasNext() || !inFlight.isEmpty()) {
                while (next.hasNext() && inFlight.size() < window) {
                    RangePlan.Range range = next.next();
                    RangeReader reader = readers.get(range.tracker());
                    inFlight.add(pool.submit(() -> fetch.fetch(range, reader)));
                    waiting.add(range);
                }
                RangePlan.Range range = waiting.poll();
                Partial p = Futures.await(inFlight.poll());
                Partial verified = stitchers.get(range.tracker()).next(p).orElse(null);
                if (verified != null) {
                    merged.get(range.tracker()).absorb(verified);
                    rejected += verified.segments().stream()
                            .mapToLong(Segment::rejected)
                            .sum();
                    memory.record(
                            merged.values().stream()
                                    .mapToLong(Partial::keyCount)
                                    .sum(),
                            officers.size(),
                            rejected,
                            merged.values().stream()
                                    .mapToLong(m -> m.table().invoiceBytes())
                                    .sum());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Tracker, TrackerTotals> totals = new EnumMap<>(Tracker.class);
        Map<Tracker, Long> rereads = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            totals.put(t, merged.get(t).finish(plan.layout(t)));
            rereads.put(t, stitchers.get(t).rereads());
        }
        return new Merged(totals, rereads, memory);
    }
}
