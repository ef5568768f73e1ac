package io.tally.core;

import io.tally.core.internal.Futures;
import java.util.ArrayList;
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
            // Each thread gathers into one collector across the spans it takes, so the lines of many ranges make one
            // sorted run on disk, not one run a range.
            List<Span> spans = new ArrayList<>();
            for (Tracker t : Tracker.values()) {
                TrackerTotals side = totals.get(t);
                ByteSource source = Objects.requireNonNull(sources.get(t), t.label());
                long[] s = side.spans();
                for (int i = 0; i < s.length; i += 2) {
                    spans.add(new Span(side.layout(), source, s[i], s[i + 1]));
                }
            }
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < Math.min(threads, spans.size()); w++) {
                work.add(pool.submit(() -> {
                    InvoiceCollector collector = new InvoiceCollector(flagged, invoices);
                    for (int i = next.getAndIncrement(); i < spans.size(); i = next.getAndIncrement()) {
                        Span span = spans.get(i);
                        read(span.layout(), span.source(), dateOrder, span.start(), span.end(), collector);
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

    /** A span of accepted rows of one tracker: {@code start} a record start. */
    private record Span(Layout layout, ByteSource source, long start, long end) {}

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
        read(layout, source, dateOrder, start, end, collector);
        collector.finish();
    }

    private static void read(
            Layout layout, ByteSource source, DateOrder dateOrder, long start, long end, InvoiceCollector collector) {
        collector.startRange(layout.tracker());
        // The totals were counted by the first pass: this reader's counts are its own and are dropped.
        new RangeReader(source, layout, dateOrder, new MemoryUse()).read(start, end, true, collector);
    }
}
