package io.tally.core;

import io.tally.core.internal.Futures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local executor: cuts both trackers into byte ranges, reads them on a pool of threads, stitches and
 * merges the partials in file order as they arrive. At most a few ranges are in flight, so memory holds
 * the merged totals (which grow with keys) plus a handful of range partials, whatever the row count.
 */
public final class Engine {
    /** Ranges per thread when the range size is chosen automatically, so threads finish together. */
    private static final int RANGES_PER_THREAD = 4;
    private static final long MIN_AUTO_RANGE = 1L << 20;
    private static final long MAX_AUTO_RANGE = 64L << 20;

    /** Receives bytes read, from any thread. */
    public interface Progress {
        void advanced(long bytes);

        Progress NONE = bytes -> { };
    }

    private final int threads;
    private final long rangeBytes;
    private final DateOrder dateOrder;

    /**
     * @param threads    worker threads, at least 1
     * @param rangeBytes bytes per range, or 0 to choose from the input size
     */
    public Engine(int threads, long rangeBytes, DateOrder dateOrder) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        if (rangeBytes < 0) {
            throw new IllegalArgumentException("range size must not be negative");
        }
        this.threads = threads;
        this.rangeBytes = rangeBytes;
        this.dateOrder = Objects.requireNonNull(dateOrder);
    }

    /** Reads both trackers and returns their totals, purchase first. */
    public Map<Tracker, TrackerTotals> read(ByteSource purchase, ByteSource inventory, Progress progress) {
        Map<Tracker, ByteSource> sources = new EnumMap<>(Tracker.class);
        sources.put(Tracker.PURCHASE, purchase);
        sources.put(Tracker.INVENTORY, inventory);
        Map<Tracker, Layout> layouts = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            layouts.put(t, Layout.detect(sources.get(t), t));
        }
        long dataBytes = layouts.values().stream().mapToLong(l -> l.size() - l.dataStart()).sum();
        long range = rangeBytes > 0 ? rangeBytes
                : Math.max(MIN_AUTO_RANGE, Math.min(MAX_AUTO_RANGE, dataBytes / ((long) threads * RANGES_PER_THREAD) + 1));

        List<Task> tasks = new ArrayList<>();
        Map<Tracker, RangeReader> readers = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            Layout l = layouts.get(t);
            readers.put(t, new RangeReader(sources.get(t), l, dateOrder));
            progress.advanced(l.dataStart());
            for (long s = l.dataStart(); s < l.size(); s += range) {
                tasks.add(new Task(t, s, Math.min(l.size(), s + range)));
            }
        }
        tasks.sort((a, b) -> Long.compare(a.start - layouts.get(a.tracker).dataStart(),
                b.start - layouts.get(b.tracker).dataStart()));

        Map<Tracker, Stitcher> stitchers = new EnumMap<>(Tracker.class);
        Map<Tracker, Partial> merged = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            stitchers.put(t, new Stitcher(layouts.get(t), readers.get(t)));
            merged.put(t, Partial.empty(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "tally-range");
            th.setDaemon(true);
            return th;
        });
        try {
            Deque<Future<Partial>> inFlight = new ArrayDeque<>();
            Deque<Task> queued = new ArrayDeque<>(tasks);
            Deque<Task> running = new ArrayDeque<>();
            int window = threads * 2;
            while (!queued.isEmpty() || !inFlight.isEmpty()) {
                while (!queued.isEmpty() && inFlight.size() < window) {
                    Task task = queued.poll();
                    RangeReader reader = readers.get(task.tracker);
                    inFlight.add(pool.submit(() -> reader.read(task.start, task.end, false, progress::advanced)));
                    running.add(task);
                }
                Task task = running.poll();
                Partial p = Futures.await(inFlight.poll());
                stitchers.get(task.tracker).next(p).ifPresent(merged.get(task.tracker)::absorb);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Tracker, TrackerTotals> totals = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            totals.put(t, merged.get(t).finish(layouts.get(t)));
        }
        return totals;
    }

    private record Task(Tracker tracker, long start, long end) {}

    /** Thread count that uses every core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

}
