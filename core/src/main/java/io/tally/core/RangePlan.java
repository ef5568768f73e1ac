package io.tally.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How a run cuts both trackers into byte ranges: each tracker's layout and its ranges. The local engine, the
 * serverless planner and the Spark job all cut with this one plan, so every path reads the same ranges the
 * same way. It is a plain value: it serializes with Java serialization (Spark) and as JSON (the manifest).
 *
 * @param inputs one per tracker, purchase first
 */
public record RangePlan(List<Input> inputs) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Ranges per thread when the range size is chosen from the input size, so threads finish together. */
    private static final int RANGES_PER_THREAD = 4;

    private static final long MIN_AUTO_RANGE = 1L << 20;
    private static final long MAX_AUTO_RANGE = 64L << 20;
    /** An automatic range is at most this share of the heap. */
    private static final long HEAP_SHARE = 64;

    /**
     * One tracker: its layout (where its data starts) and its ranges in file order, tiling
     * {@code [layout.dataStart(), layout.size())}.
     */
    public record Input(Layout layout, List<Range> ranges) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Input {
            Objects.requireNonNull(layout, "layout");
            ranges = List.copyOf(ranges);
            long expected = layout.dataStart();
            for (int n = 0; n < ranges.size(); n++) {
                Range r = ranges.get(n);
                if (r.tracker() != layout.tracker() || r.n() != n || r.start() != expected) {
                    throw new IllegalArgumentException(
                            layout.tracker().label() + " range " + n + " does not follow the previous one: " + r);
                }
                expected = r.end();
            }
            if (expected != layout.size()) {
                throw new IllegalArgumentException(layout.tracker().label() + " ranges end at byte " + expected
                        + ", not at the end of the file (" + layout.size() + ")");
            }
        }

        public Tracker tracker() {
            return layout.tracker();
        }
    }

    /**
     * Range {@code n} of a tracker: bytes {@code [start, end)}. It owns the records that start inside it.
     */
    public record Range(Tracker tracker, int n, long start, long end) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Range {
            Objects.requireNonNull(tracker, "tracker");
            if (n < 0 || start < 0 || end <= start) {
                throw new IllegalArgumentException(
                        "bad range " + tracker.label() + "-" + n + " [" + start + ", " + end + ")");
            }
        }

        /** {@code purchase-3}: how logs and progress name a range. */
        public String label() {
            return tracker.label() + "-" + n;
        }

        public long bytes() {
            return end - start;
        }
    }

    public RangePlan {
        inputs = List.copyOf(inputs);
        if (inputs.size() != Tracker.values().length) {
            throw new IllegalArgumentException("a plan covers both trackers");
        }
        for (int k = 0; k < inputs.size(); k++) {
            if (inputs.get(k).tracker() != Tracker.values()[k]) {
                throw new IllegalArgumentException("a plan lists the purchase tracker, then the inventory tracker");
            }
        }
    }

    /** Cuts both trackers' data bytes into ranges of {@code rangeBytes} (the last of each may be shorter). */
    public static RangePlan cut(Layout purchase, Layout inventory, long rangeBytes) {
        if (rangeBytes < 1) {
            throw new IllegalArgumentException("range size must be at least 1 byte, not " + rangeBytes);
        }
        return new RangePlan(List.of(cut(purchase, rangeBytes), cut(inventory, rangeBytes)));
    }

    /**
     * As {@link #cut}, with a range size that gives each of {@code threads} threads a few ranges, bounded by this
     * JVM's heap ({@link #autoRangeBytes}).
     */
    public static RangePlan forThreads(Layout purchase, Layout inventory, int threads) {
        long dataBytes = (purchase.size() - purchase.dataStart()) + (inventory.size() - inventory.dataStart());
        return cut(
                purchase,
                inventory,
                autoRangeBytes(dataBytes, threads, Runtime.getRuntime().maxMemory()));
    }

    /**
     * A few ranges a thread, from 1 MiB to 64 MiB, and at most 1/64 of the heap: a range's partial grows with
     * the keys in it (a million officers' rows are a key each, with the officer's name), and the merge holds a
     * few partials in flight besides the merged totals, so ranges sized from the input alone would let the
     * partials in flight outgrow the heap.
     */
    static long autoRangeBytes(long dataBytes, int threads, long maxHeap) {
        long byInput = dataBytes / ((long) Math.max(1, threads) * RANGES_PER_THREAD) + 1;
        return Math.max(MIN_AUTO_RANGE, Math.min(Math.min(MAX_AUTO_RANGE, maxHeap / HEAP_SHARE), byInput));
    }

    private static Input cut(Layout layout, long rangeBytes) {
        List<Range> ranges = new ArrayList<>();
        int n = 0;
        for (long s = layout.dataStart(); s < layout.size(); s += rangeBytes) {
            ranges.add(new Range(layout.tracker(), n++, s, Math.min(layout.size(), s + rangeBytes)));
        }
        return new Input(layout, ranges);
    }

    public Input input(Tracker tracker) {
        return inputs.get(tracker.ordinal());
    }

    public Layout layout(Tracker tracker) {
        return input(tracker).layout();
    }

    public int rangeCount() {
        return inputs.stream().mapToInt(i -> i.ranges().size()).sum();
    }

    /**
     * Every range, in the order to work on them: both trackers interleaved by distance from their data start,
     * so both stitch along together and the partials waiting to be merged stay few.
     */
    public List<Range> workOrder() {
        List<Range> all = new ArrayList<>(rangeCount());
        inputs.forEach(i -> all.addAll(i.ranges()));
        all.sort(Comparator.comparingLong(
                        (Range r) -> r.start() - layout(r.tracker()).dataStart())
                .thenComparing(Range::tracker));
        return all;
    }

    /** Whether a range begins at its tracker's first data record, so its start needs no guessing. */
    public boolean startsAtData(Range r) {
        return r.start() == layout(r.tracker()).dataStart();
    }
}
