package io.tally.core;

import io.tally.core.internal.Futures;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code invoices.csv}'s second pass: once the merge has told which keys are not {@code OK}, the spans of both
 * trackers that hold accepted rows are read again, and each accepted row of a flagged key is summed per invoice
 * ({@link InvoiceCollector}). A run with no flagged key reads nothing again.
 */
final class InvoicePass {
    private InvoicePass() {}

    static Invoices run(
            Map<Tracker, TrackerTotals> totals,
            Map<Tracker, ? extends ByteSource> sources,
            DateOrder dateOrder,
            Tolerances tolerances,
            int threads) {
        FlaggedKeys flagged = FlaggedKeys.of(totals.get(Tracker.PURCHASE), totals.get(Tracker.INVENTORY), tolerances);
        Invoices invoices = new Invoices();
        if (flagged.isEmpty()) {
            return invoices;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tally-invoices");
            t.setDaemon(true);
            return t;
        });
        try {
            // Each thread gathers into one collector across the stretches it takes, so the lines of many ranges make
            // one sorted run on disk, not one run a range.
            List<Work> spans = new ArrayList<>();
            for (Tracker t : Tracker.values()) {
                TrackerTotals side = totals.get(t);
                ByteSource source = Objects.requireNonNull(sources.get(t), t.label());
                long[] stretches = side.table().rowsKnown() ? stretches(side, flagged) : side.spans();
                for (int k = 0; k < stretches.length; k += 2) {
                    invoices.readAgain(stretches[k + 1] - stretches[k]);
                }
                cut(side.layout(), source, stretches, threads, spans);
            }
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < Math.min(threads, spans.size()); w++) {
                work.add(pool.submit(() -> {
                    InvoiceCollector collector = new InvoiceCollector(flagged, invoices);
                    for (int i = next.getAndIncrement(); i < spans.size(); i = next.getAndIncrement()) {
                        Work span = spans.get(i);
                        collector.startRange(span.layout().tracker());
                        // The totals were counted by the first pass: this reader's counts are its own and are dropped.
                        new RangeReader(span.source(), span.layout(), dateOrder, new MemoryUse())
                                .readSpans(span.stretches(), span.from(), span.to(), collector);
                    }
                    collector.finish();
                }));
            }
            for (Future<?> f : work) {
                Futures.await(f);
            }
            return invoices;
        } catch (RuntimeException | Error e) {
            invoices.close();
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A share of the pass: the intervals {@code [from, to)} of {@code stretches}, read in one stream. */
    private record Work(Layout layout, ByteSource source, long[] stretches, int from, int to) {}

    /** A gap between stretches at least this long starts a new stream, opened past it, rather than reading through. */
    static final long STREAM_GAP = 4L << 20;

    /**
     * Cuts {@code stretches} (sorted, disjoint intervals as pairs) into shares of a few megabytes each, about
     * sixteen a thread, so both trackers' shares spread over the threads; a long gap starts a new share.
     */
    private static void cut(Layout layout, ByteSource source, long[] stretches, int threads, List<Work> into) {
        long covered = 0;
        for (int i = 0; i < stretches.length; i += 2) {
            covered += stretches[i + 1] - stretches[i];
        }
        long target = Math.max(256L << 10, covered / (16L * Math.max(1, threads)));
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < stretches.length; i += 2) {
            if (i > from && (bytes >= target || stretches[i] - stretches[i - 1] >= STREAM_GAP)) {
                into.add(new Work(layout, source, stretches, from, i));
                from = i;
                bytes = 0;
            }
            bytes += stretches[i + 1] - stretches[i];
        }
        if (stretches.length > from) {
            into.add(new Work(layout, source, stretches, from, stretches.length));
        }
    }

    /**
     * The stretches of {@code side}'s file that hold the accepted rows of flagged keys, as sorted, disjoint
     * intervals of record starts {@code [first row's start, last row's start + 1)}, overlapping ones joined: where
     * the second pass needs to look. A key has a stretch in each range of the first pass that held its rows; rows of
     * one key far apart within a range make one long stretch, read whole (the collector passes over the other keys'
     * rows in it), so this never reads less than it must.
     */
    static long[] stretches(TrackerTotals side, FlaggedKeys flagged) {
        KeyTable table = side.table();
        OfficerDictionary officers = side.officers();
        int[] flaggedOfficer = new int[officers.size()];
        Arrays.fill(flaggedOfficer, Integer.MIN_VALUE);
        long[][] found = {new long[1024], new long[1024]}; // the intervals' starts and ends
        int[] count = new int[1];
        table.forEachRowRun((slot, first, last) -> {
            long key = table.keyAt(slot);
            int officer = KeyTable.officer(key);
            if (flaggedOfficer[officer] == Integer.MIN_VALUE) {
                flaggedOfficer[officer] = flagged.officer(officers, officer);
            }
            if (!flagged.contains(KeyTable.epochDay(key), flaggedOfficer[officer])) {
                return;
            }
            int k = count[0]++;
            if (k == found[0].length) {
                found[0] = Arrays.copyOf(found[0], k * 2);
                found[1] = Arrays.copyOf(found[1], k * 2);
            }
            found[0][k] = first;
            found[1][k] = last + 1;
        });
        int n = count[0];
        long[] starts = found[0];
        long[] ends = found[1];
        Arrays.sort(starts, 0, n);
        Arrays.sort(ends, 0, n);
        // The union of the intervals, swept in order: an end at the same offset as a start closes first.
        long[] union = new long[2 * n];
        int u = 0;
        int depth = 0;
        long open = 0;
        int i = 0;
        int j = 0;
        while (j < n) {
            if (i < n && starts[i] < ends[j]) {
                if (depth++ == 0) {
                    open = starts[i];
                }
                i++;
            } else {
                if (--depth == 0) {
                    union[u++] = open;
                    union[u++] = ends[j];
                }
                j++;
            }
        }
        return Arrays.copyOf(union, u);
    }

    /** Reads the records of {@code [start, end)}, {@code start} a record start, into {@code out}. */
    static void read(
            Layout layout,
            ByteSource source,
            DateOrder dateOrder,
            long start,
            long end,
            FlaggedKeys flagged,
            Invoices out) {
        InvoiceCollector collector = new InvoiceCollector(flagged, out);
        collector.startRange(layout.tracker());
        // The totals were counted by the first pass: this reader's counts are its own and are dropped.
        new RangeReader(source, layout, dateOrder, new MemoryUse()).read(start, end, true, collector);
        collector.finish();
    }
}
