package io.tally.core;

import io.tally.core.internal.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
            List<Future<?>> work = new ArrayList<>();
            for (Tracker t : Tracker.values()) {
                TrackerTotals side = totals.get(t);
                ByteSource source = Objects.requireNonNull(sources.get(t), t.label());
                long[] spans = side.spans();
                for (int s = 0; s < spans.length; s += 2) {
                    long start = spans[s];
                    long end = spans[s + 1];
                    work.add(pool.submit(() -> read(side.layout(), source, dateOrder, start, end, flagged, invoices)));
                }
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

    /** Reads the records of {@code [start, end)}, {@code start} a record start, into {@code out}. */
    static void read(
            Layout layout,
            ByteSource source,
            DateOrder dateOrder,
            long start,
            long end,
            FlaggedKeys flagged,
            Invoices out) {
        InvoiceCollector collector = new InvoiceCollector(layout, flagged, out);
        // The totals were counted by the first pass: this reader's counts are its own and are dropped.
        new RangeReader(source, layout, dateOrder, new MemoryUse()).read(start, end, true, collector);
        collector.finish();
    }
}
