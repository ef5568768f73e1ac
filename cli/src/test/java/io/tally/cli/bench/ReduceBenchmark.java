package io.tally.cli.bench;

import io.tally.core.ByteSource;
import io.tally.core.DateOrder;
import io.tally.core.Invoices;
import io.tally.core.Layout;
import io.tally.core.OrderedMerge;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.RangeReader;
import io.tally.core.Reconcile;
import io.tally.core.ReportWriter;
import io.tally.core.RunInfo;
import io.tally.core.Tolerances;
import io.tally.core.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reducer's own work, without S3: the partials of a pair cut into 64 MiB ranges (computed once, as the
 * chunk workers would, and kept as encoded bytes), then, five times after a warm-up, the merge exactly as the
 * reducer runs it ({@link OrderedMerge}, four partials decoded at once) and the four reports written to a
 * folder. Prints the median of each phase. Arguments: purchase and inventory trackers.
 */
public final class ReduceBenchmark {
    private static final long RANGE = 64L << 20;
    /** As the reducer: partials fetched and decoded at once. */
    private static final int PREFETCH = 4;

    private static final int RUNS = Integer.getInteger("bench.runs", 5);

    private ReduceBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path purchase = Path.of(args.length > 0 ? args[0] : "bench-data/rows-10000000/purchase.csv");
        Path inventory = Path.of(args.length > 1 ? args[1] : "bench-data/rows-10000000/inventory.csv");
        Map<Tracker, ByteSource> sources = new EnumMap<>(Tracker.class);
        sources.put(Tracker.PURCHASE, ByteSource.of(purchase));
        sources.put(Tracker.INVENTORY, ByteSource.of(inventory));
        RangePlan plan = RangePlan.cut(
                Layout.detect(sources.get(Tracker.PURCHASE), Tracker.PURCHASE),
                Layout.detect(sources.get(Tracker.INVENTORY), Tracker.INVENTORY),
                RANGE);
        Map<RangePlan.Range, byte[]> partials = new HashMap<>();
        long bytes = 0;
        for (RangePlan.Range r : plan.workOrder()) {
            RangeReader reader =
                    new Reconcile(DateOrder.DAY_FIRST).reader(plan.layout(r.tracker()), sources.get(r.tracker()));
            byte[] encoded = PartialCodec.toBytes(reader.read(r.start(), r.end(), plan.startsAtData(r)));
            partials.put(r, encoded);
            bytes += encoded.length;
        }
        System.out.printf(
                Locale.ROOT,
                "%d ranges of 64 MiB, %,d bytes of partials; %d runs after a warm-up%n",
                plan.rangeCount(),
                bytes,
                RUNS);
        List<Long> merges = new ArrayList<>();
        List<Long> reports = new ArrayList<>();
        Path work = Files.createTempDirectory("tally-reduce-bench-");
        for (int run = 0; run <= RUNS; run++) {
            long t0 = System.nanoTime();
            Reconcile reconcile = new Reconcile(DateOrder.DAY_FIRST);
            OrderedMerge.Merged merged = reconcile.merge(
                    plan, sources, (range, reader) -> PartialCodec.fromBytes(partials.get(range)), PREFETCH);
            long t1 = System.nanoTime();
            Path out = Files.createDirectory(work.resolve("run-" + run));
            RunInfo info = new RunInfo(
                    "bench",
                    new RunInfo.InputFile(purchase.toString(), Files.size(purchase), ""),
                    new RunInfo.InputFile(inventory.toString(), Files.size(inventory), ""),
                    Tolerances.DEFAULT,
                    DateOrder.DAY_FIRST,
                    Instant.now(),
                    "bench");
            try (Invoices invoices = reconcile.invoices(merged.totals(), sources, Tolerances.DEFAULT, PREFETCH)) {
                ReportWriter.toFiles(
                        out, merged.totals(Tracker.PURCHASE), merged.totals(Tracker.INVENTORY), invoices, info);
            }
            long t2 = System.nanoTime();
            if (run > 0) {
                merges.add((t1 - t0) / 1_000_000);
                reports.add((t2 - t1) / 1_000_000);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  run %d: merge %d ms, reports %d ms%n",
                    run,
                    (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000);
        }
        long merge = median(merges);
        long report = median(reports);
        System.out.printf(
                Locale.ROOT,
                "reduce without S3, medians: merge %d ms + reports %d ms = %d ms%n",
                merge,
                report,
                merge + report);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
