package io.tally.glue;

import io.tally.core.ByteSource;
import io.tally.core.DateOrder;
import io.tally.core.FlaggedKeys;
import io.tally.core.Invoices;
import io.tally.core.Layout;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.Reconcile;
import io.tally.core.Tolerances;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.SparkSession;

/**
 * The reconciliation as a Spark job, reusing core rather than re-implementing DATA.md in Spark SQL: each range
 * of the run's {@link RangePlan} becomes a task that reads it with core's {@link Reconcile#readRange} into a partial
 * (left encoded with {@link PartialCodec} on a {@link PartialShelf}); the driver merges the partials in file order with core's
 * {@link Reconcile#merge}, which checks every boundary and re-reads a range whose start was guessed wrong. The
 * totals are the ones every other path computes, so the reports are byte-identical.
 */
public final class ReconcileTransform {
    private ReconcileTransform() {}

    /**
     * Both trackers' totals for {@code plan}, computed on {@code spark}'s executors, which leave each range's
     * partial on {@code shelf}; the driver then reads them back in file order as it merges.
     */
    public static Map<Tracker, TrackerTotals> apply(
            SparkSession spark, RangePlan plan, Map<Tracker, TrackerBytes> sources, Reconcile run, PartialShelf shelf) {
        readRanges(spark, plan, sources, run.dateOrder(), shelf);
        return merge(plan, sources, run, shelf);
    }

    /**
     * {@code invoices.csv}'s second pass over the merged {@code totals}: the spans that hold accepted rows read
     * again for the keys that are not {@code OK}.
     */
    public static Invoices invoices(
            SparkSession spark,
            Map<Tracker, TrackerTotals> totals,
            Map<Tracker, TrackerBytes> sources,
            Reconcile run,
            Tolerances tolerances,
            PartialShelf shelf) {
        FlaggedKeys flagged = Reconcile.flagged(totals, tolerances);
        Invoices invoices = new Invoices();
        if (flagged.isEmpty()) {
            return invoices;
        }
        List<Span> spans = new ArrayList<>();
        EnumMap<Tracker, Layout> layouts = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            layouts.put(t, totals.get(t).layout());
            long[] s = totals.get(t).spans();
            for (int i = 0; i < s.length; i += 2) {
                spans.add(new Span(t, i / 2, s[i], s[i + 1]));
            }
        }
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.parallelize(spans, spans.size())
                    .foreachPartition(new ReadInvoices(
                            layouts, new EnumMap<>(sources), run.dateOrder(), flagged.toBytes(), shelf));
            for (Span s : spans) {
                invoices.addRun(new ByteArrayInputStream(shelf.getInvoices(s.tracker(), s.n())));
            }
            return invoices;
        } catch (IOException e) {
            invoices.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            invoices.close();
            throw e;
        }
    }

    /** A span of a tracker that holds accepted rows, {@code start} a record start: one task of the second pass. */
    record Span(Tracker tracker, int n, long start, long end) implements Serializable {}

    /** A Spark task of the second pass: reads its spans and leaves their sorted invoice lines on the shelf. */
    static final class ReadInvoices implements VoidFunction<Iterator<Span>> {
        private static final long serialVersionUID = 1L;
        private final EnumMap<Tracker, Layout> layouts;
        private final EnumMap<Tracker, TrackerBytes> sources;
        private final DateOrder dateOrder;
        private final byte[] flagged;
        private final PartialShelf shelf;

        ReadInvoices(
                EnumMap<Tracker, Layout> layouts,
                EnumMap<Tracker, TrackerBytes> sources,
                DateOrder dateOrder,
                byte[] flagged,
                PartialShelf shelf) {
            this.layouts = layouts;
            this.sources = sources;
            this.dateOrder = dateOrder;
            this.flagged = flagged;
            this.shelf = shelf;
        }

        @Override
        public void call(Iterator<Span> spans) throws IOException {
            Reconcile run = new Reconcile(dateOrder);
            FlaggedKeys keys = FlaggedKeys.fromBytes(flagged);
            while (spans.hasNext()) {
                Span s = spans.next();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                run.readInvoices(
                        layouts.get(s.tracker()), sources.get(s.tracker()).open(), s.start(), s.end(), keys, out);
                shelf.putInvoices(s.tracker(), s.n(), out.toByteArray());
            }
        }
    }

    /** The executors' half: every range of {@code plan} read into a partial left on {@code shelf}. */
    public static void readRanges(
            SparkSession spark,
            RangePlan plan,
            Map<Tracker, TrackerBytes> sources,
            DateOrder dateOrder,
            PartialShelf shelf) {
        List<RangePlan.Range> ranges = plan.workOrder();
        if (!ranges.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.parallelize(ranges, ranges.size())
                    .foreachPartition(new ReadRanges(plan, new EnumMap<>(sources), dateOrder, shelf));
        }
    }

    /** The driver's half: the partials on {@code shelf} merged in file order, boundaries checked. */
    public static Map<Tracker, TrackerTotals> merge(
            RangePlan plan, Map<Tracker, TrackerBytes> sources, Reconcile run, PartialShelf shelf) {
        Map<Tracker, ByteSource> driverSources = new EnumMap<>(Tracker.class);
        sources.forEach((t, s) -> driverSources.put(t, s.open()));
        return run.merge(plan, driverSources, (range, reader) -> PartialCodec.fromBytes(shelf.get(range)), 2)
                .totals();
    }

    /** A Spark task: reads its ranges and leaves their encoded partials on the shelf. */
    static final class ReadRanges implements VoidFunction<Iterator<RangePlan.Range>> {
        private static final long serialVersionUID = 1L;
        private final RangePlan plan;
        private final EnumMap<Tracker, TrackerBytes> sources;
        private final DateOrder dateOrder;
        private final PartialShelf shelf;

        ReadRanges(RangePlan plan, EnumMap<Tracker, TrackerBytes> sources, DateOrder dateOrder, PartialShelf shelf) {
            this.plan = plan;
            this.sources = sources;
            this.dateOrder = dateOrder;
            this.shelf = shelf;
        }

        @Override
        public void call(Iterator<RangePlan.Range> ranges) {
            Reconcile run = new Reconcile(dateOrder);
            while (ranges.hasNext()) {
                RangePlan.Range r = ranges.next();
                shelf.put(
                        r,
                        PartialCodec.toBytes(
                                run.readRange(plan, r, sources.get(r.tracker()).open())));
            }
        }
    }
}
