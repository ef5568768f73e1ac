package io.tally.glue;

import io.tally.core.ByteSource;
import io.tally.core.DateOrder;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.Reconcile;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
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
            SparkSession spark,
            RangePlan plan,
            Map<Tracker, TrackerBytes> sources,
            DateOrder dateOrder,
            PartialShelf shelf) {
        readRanges(spark, plan, sources, dateOrder, shelf);
        return merge(plan, sources, new Reconcile(dateOrder), shelf);
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
