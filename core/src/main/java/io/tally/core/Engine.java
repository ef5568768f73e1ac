package io.tally.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The local executor: cuts both trackers into byte ranges with a {@link RangePlan}, reads them on a pool of
 * threads and merges them in file order with the {@link OrderedMerge}. At most a few ranges are in flight,
 * so memory holds the merged totals (which grow with keys) plus a handful of range partials, whatever the
 * row count.
 */
public final class Engine {

    /** Receives bytes read, from any thread. */
    public interface Progress {
        void advanced(long bytes);

        Progress NONE = bytes -> {};
    }

    private final int threads;
    private final long rangeBytes;
    private final Reconcile run;

    /**
     * @param threads    worker threads, at least 1
     * @param rangeBytes bytes per range, or 0 to choose from the input size
     */
    public Engine(int threads, long rangeBytes, DateOrder dateOrder) {
        this(threads, rangeBytes, new Reconcile(dateOrder));
    }

    /** An engine that reads for {@code run}, so its memory counts are the run's. */
    public Engine(int threads, long rangeBytes, Reconcile run) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        if (rangeBytes < 0) {
            throw new IllegalArgumentException("range size must not be negative");
        }
        this.threads = threads;
        this.rangeBytes = rangeBytes;
        this.run = Objects.requireNonNull(run);
    }

    /** The plan this engine would follow for these trackers. */
    public RangePlan plan(ByteSource purchase, ByteSource inventory) {
        return rangeBytes > 0
                ? Reconcile.plan(purchase, inventory, rangeBytes)
                : Reconcile.planForThreads(purchase, inventory, threads);
    }

    /** Reads both trackers and returns their totals. */
    public Map<Tracker, TrackerTotals> read(ByteSource purchase, ByteSource inventory, Progress progress) {
        return read(plan(purchase, inventory), purchase, inventory, progress);
    }

    /** Reads both trackers by {@code plan} and returns their totals. */
    public Map<Tracker, TrackerTotals> read(
            RangePlan plan, ByteSource purchase, ByteSource inventory, Progress progress) {
        Map<Tracker, ByteSource> sources = new EnumMap<>(Tracker.class);
        sources.put(Tracker.PURCHASE, purchase);
        sources.put(Tracker.INVENTORY, inventory);
        for (Tracker t : Tracker.values()) {
            progress.advanced(plan.layout(t).dataStart());
        }
        return run.merge(
                        plan,
                        sources,
                        (range, reader) -> reader.read(range.start(), range.end(), false, progress::advanced),
                        threads)
                .totals();
    }

    /** What the run holds, as last counted. */
    public MemoryUse memory() {
        return run.memory();
    }

    /** Thread count that uses every core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
