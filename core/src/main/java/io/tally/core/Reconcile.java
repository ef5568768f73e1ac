package io.tally.core;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Core's face: the calls every pipeline makes, in the order it makes them. Plan the ranges of both trackers,
 * read each range into a {@link Partial} (on this machine's threads, in a Lambda worker, in a Spark task), merge
 * the partials in file order, and write the reports. One instance is one run: its readers and its merge count what
 * the run holds into its own {@link #memory()}, which names the culprit when memory runs out.
 *
 * <pre>{@code
 * RangePlan plan = Reconcile.plan(purchase, inventory, rangeBytes);
 * Reconcile run = new Reconcile(dateOrder);
 * Partial p = run.readRange(plan, range, source);              // anywhere, any order
 * OrderedMerge.Merged m = run.merge(plan, sources, fetch, 2);  // once, in file order
 * try (Invoices v = run.invoices(m.totals(), sources, tolerances, 2)) {  // invoices.csv's second pass
 *     Reconciler.Outcome o = Reconcile.write(sink, m.totals(), v, info);
 * }
 * }</pre>
 */
public final class Reconcile {
    private final DateOrder dateOrder;
    private final MemoryUse memory = new MemoryUse();

    public Reconcile(DateOrder dateOrder) {
        this.dateOrder = Objects.requireNonNull(dateOrder, "dateOrder");
    }

    public DateOrder dateOrder() {
        return dateOrder;
    }

    /** What this run holds, as last counted by its readers and its merge. */
    public MemoryUse memory() {
        return memory;
    }

    /**
     * Both trackers' layouts (header row, columns) and their data cut into ranges of {@code rangeBytes}. The layouts
     * are found by {@link Layout#detectBoth}, which says when the two trackers are swapped.
     */
    public static RangePlan plan(ByteSource purchase, ByteSource inventory, long rangeBytes) {
        Map<Tracker, Layout> layouts = Layout.detectBoth(purchase, inventory);
        return RangePlan.cut(layouts.get(Tracker.PURCHASE), layouts.get(Tracker.INVENTORY), rangeBytes);
    }

    /** As {@link #plan(ByteSource, ByteSource, long)}, with ranges sized for {@code threads} threads. */
    public static RangePlan planForThreads(ByteSource purchase, ByteSource inventory, int threads) {
        Map<Tracker, Layout> layouts = Layout.detectBoth(purchase, inventory);
        return RangePlan.forThreads(layouts.get(Tracker.PURCHASE), layouts.get(Tracker.INVENTORY), threads);
    }

    /** Reads one range of {@code plan} from {@code source}, its tracker's bytes. */
    public Partial readRange(RangePlan plan, RangePlan.Range range, ByteSource source) {
        return readRange(plan, range, source, bytes -> {});
    }

    /** As {@link #readRange(RangePlan, RangePlan.Range, ByteSource)}, reporting bytes read to {@code progress}. */
    public Partial readRange(RangePlan plan, RangePlan.Range range, ByteSource source, LongConsumer progress) {
        return reader(plan.layout(range.tracker()), source)
                .read(range.start(), range.end(), plan.startsAtData(range), progress);
    }

    /** A reader of one tracker for this run, for callers that read bytes outside a plan's ranges (tests, tools). */
    public RangeReader reader(Layout layout, ByteSource source) {
        return new RangeReader(source, layout, dateOrder, memory);
    }

    /**
     * Merges the partials of every range of {@code plan}, in file order, as {@code fetch} gives them, checking that
     * neighbouring ranges meet and re-reading from {@code sources} a range whose start was guessed wrong.
     *
     * @param parallelism how many fetches run at once
     */
    public OrderedMerge.Merged merge(
            RangePlan plan, Map<Tracker, ? extends ByteSource> sources, OrderedMerge.Fetch fetch, int parallelism) {
        return OrderedMerge.merge(plan, sources, dateOrder, fetch, parallelism, memory);
    }

    /**
     * {@code invoices.csv}'s second pass: reads again, from {@code sources}, the spans of both trackers that hold
     * accepted rows, and sums the rows of the keys that are not {@code OK} per invoice, on {@code threads} threads.
     * With no such key nothing is read. The caller closes the result once the reports are written.
     */
    public Invoices invoices(
            Map<Tracker, TrackerTotals> totals,
            Map<Tracker, ? extends ByteSource> sources,
            Tolerances tolerances,
            int threads) {
        return InvoicePass.run(totals, sources, dateOrder, tolerances, threads);
    }

    /** The keys of the merged {@code totals} that are not {@code OK}: those {@code invoices.csv} lists. */
    public static FlaggedKeys flagged(Map<Tracker, TrackerTotals> totals, Tolerances tolerances) {
        return FlaggedKeys.of(totals.get(Tracker.PURCHASE), totals.get(Tracker.INVENTORY), tolerances);
    }

    /**
     * One share of a distributed second pass: the records of {@code [start, end)} of a tracker ({@code start} a
     * record start: a span of {@link TrackerTotals#spans()}), their flagged keys' lines written to {@code out} as
     * one sorted run, for {@link Invoices#addRun}.
     */
    public void readInvoices(
            Layout layout, ByteSource source, long start, long end, FlaggedKeys flagged, OutputStream out)
            throws IOException {
        try (Invoices share = new Invoices()) {
            InvoicePass.read(layout, source, dateOrder, start, end, flagged, share);
            share.writeTo(out);
        }
    }

    /** Writes the report set of a merged run to {@code sink} and returns what the reconciliation found. */
    public static Reconciler.Outcome write(
            ReportWriter.Sink sink, Map<Tracker, TrackerTotals> totals, Invoices invoices, RunInfo info)
            throws IOException {
        return ReportWriter.write(sink, totals.get(Tracker.PURCHASE), totals.get(Tracker.INVENTORY), invoices, info);
    }
}
