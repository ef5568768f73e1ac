package io.tally.glue;

import io.tally.core.ByteSource;
import io.tally.core.DateOrder;
import io.tally.core.OrderedMerge;
import io.tally.core.Partial;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.RangeReader;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The reconciliation as a Spark job, reusing core rather than re-implementing DATA.md in Spark SQL: each range
 * of the run's {@link RangePlan} becomes a task that reads it with core's {@link RangeReader} into a partial
 * (sent back encoded with {@link PartialCodec}); the driver merges the partials in file order with core's
 * {@link OrderedMerge}, which checks every boundary and re-reads a range whose start was guessed wrong. The
 * totals are the ones every other path computes, so the reports are byte-identical.
 */
public final class ReconcileTransform {
    private ReconcileTransform() {}

    /** Both trackers' totals for {@code plan}, computed on {@code spark}'s executors. */
    public static Map<Tracker, TrackerTotals> apply(SparkSession spark, RangePlan plan,
            Map<Tracker, TrackerBytes> sources, DateOrder dateOrder) {
        List<RangePlan.Range> ranges = plan.workOrder();
        Map<Tracker, ByteSource> driverSources = new EnumMap<>(Tracker.class);
        sources.forEach((t, s) -> driverSources.put(t, s.open()));
        if (ranges.isEmpty()) {
            return OrderedMerge.merge(plan, driverSources, dateOrder, (r, reader) -> {
                throw new IllegalStateException("no range to fetch");
            }, 1).totals();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Tuple2<String, byte[]>> encoded = jsc.parallelize(ranges, ranges.size())
                .mapPartitions(new ReadRanges(plan, new EnumMap<>(sources), dateOrder)).collect();
        Map<String, byte[]> byRange = new HashMap<>();
        for (Tuple2<String, byte[]> e : encoded) {
            byRange.put(e._1(), e._2());
        }
        return OrderedMerge.merge(plan, driverSources, dateOrder, (range, reader) -> decode(byRange.remove(range.label())),
                2).totals();
    }

    /** A Spark task: reads its ranges into encoded partials. */
    static final class ReadRanges implements FlatMapFunction<Iterator<RangePlan.Range>, Tuple2<String, byte[]>> {
        private static final long serialVersionUID = 1L;
        private final RangePlan plan;
        private final EnumMap<Tracker, TrackerBytes> sources;
        private final DateOrder dateOrder;

        ReadRanges(RangePlan plan, EnumMap<Tracker, TrackerBytes> sources, DateOrder dateOrder) {
            this.plan = plan;
            this.sources = sources;
            this.dateOrder = dateOrder;
        }

        @Override
        public Iterator<Tuple2<String, byte[]>> call(Iterator<RangePlan.Range> ranges) {
            List<Tuple2<String, byte[]>> out = new ArrayList<>();
            while (ranges.hasNext()) {
                RangePlan.Range r = ranges.next();
                RangeReader reader = new RangeReader(sources.get(r.tracker()).open(), plan.layout(r.tracker()),
                        dateOrder);
                out.add(new Tuple2<>(r.label(), encode(reader.read(r.start(), r.end(), plan.startsAtData(r)))));
            }
            return out.iterator();
        }
    }

    static byte[] encode(Partial p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PartialCodec.write(p, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Partial decode(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalStateException("a range's partial did not come back from the executors");
        }
        try {
            return PartialCodec.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
