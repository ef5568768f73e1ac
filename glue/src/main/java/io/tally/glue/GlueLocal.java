package io.tally.glue;

import io.tally.core.ByteSource;
import io.tally.core.DateOrder;
import io.tally.core.FolderLock;
import io.tally.core.Layout;
import io.tally.core.RangePlan;
import io.tally.core.ReportDirectory;
import io.tally.core.ReportWriter;
import io.tally.core.RunId;
import io.tally.core.RunInfo;
import io.tally.core.SheetFormatException;
import io.tally.core.Tolerances;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import io.tally.core.Digests;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tally glue-local --purchase P --inventory I --out DIR [--range-size BYTES] [--tolerance-kg KG]
 * [--tolerance-pct PCT] [--date-order ORDER]}: the Glue job's transform in Spark local mode on this machine, the
 * four reports in DIR. Exit codes as {@code tally reconcile}: 0, 2 for bad usage or unreadable input, 3 else.
 */
public final class GlueLocal {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    private GlueLocal() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Map<String, String> a;
        try {
            a = JobArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tally glue-local: " + e.getMessage());
            return 2;
        }
        try {
            Path purchase = Path.of(JobArgs.required(a, "purchase"));
            Path inventory = Path.of(JobArgs.required(a, "inventory"));
            Path out = Path.of(JobArgs.required(a, "out"));
            for (Path p : List.of(purchase, inventory)) {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("cannot read " + p + ": no such file");
                }
            }
            Tolerances tolerances = new Tolerances(new BigDecimal(a.getOrDefault("tolerance-kg", "0.5")),
                    new BigDecimal(a.getOrDefault("tolerance-pct", "2.0")));
            DateOrder order = DateOrder.parse(a.getOrDefault("date-order", "day-first"));
            long rangeBytes = Long.parseLong(a.getOrDefault("range-size", Long.toString(64L << 20)));
            ReportDirectory reports = ReportDirectory.of(out);
            reports.check();
            // Spark's own folders (spark-*, blockmgr-*) go inside a locked folder of this run, so those of a
            // killed run are removed with it by the next, and no live process's are ever touched.
            try (FolderLock.Scratch sparkDir = FolderLock.scratch(TMP, "tally-glue-spark-")) {
                SparkSession spark = SparkSession.builder().appName("tally-glue-local").master("local[*]")
                        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                        .config("spark.local.dir", sparkDir.path().toString()).getOrCreate();
                try {
                    Instant started = Instant.now();
                    RunInfo info = reconcileInto(spark, purchase, inventory, tolerances, order, rangeBytes, started,
                            reports);
                    System.out.println("Tally run " + info.runId() + " (Spark local): reports in " + out.toAbsolutePath());
                } finally {
                    spark.stop();
                }
            }
            return 0;
        } catch (IllegalArgumentException | SheetFormatException | io.tally.core.OutputFolderException e) {
            System.err.println("tally glue-local: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("tally glue-local: internal error: " + e);
            e.printStackTrace();
            return 3;
        }
    }

    /** Plans, runs the transform and writes the four reports into {@code reports}. */
    static RunInfo reconcileInto(SparkSession spark, Path purchase, Path inventory, Tolerances tolerances,
            DateOrder order, long rangeBytes, Instant started, ReportDirectory reports) throws java.io.IOException {
        ByteSource p = ByteSource.of(purchase);
        ByteSource i = ByteSource.of(inventory);
        RangePlan plan = RangePlan.cut(Layout.detect(p, Tracker.PURCHASE), Layout.detect(i, Tracker.INVENTORY),
                rangeBytes);
        Map<Tracker, TrackerBytes> sources = new EnumMap<>(Tracker.class);
        sources.put(Tracker.PURCHASE, new TrackerBytes.LocalFile(purchase.toAbsolutePath().toString()));
        sources.put(Tracker.INVENTORY, new TrackerBytes.LocalFile(inventory.toAbsolutePath().toString()));
        Map<Tracker, TrackerTotals> totals;
        // A locked folder: a killed run's partials are removed by the next run (FolderLock).
        try (FolderLock.Scratch scratch = FolderLock.scratch(TMP, "tally-glue-partials-")) {
            Path shelf = scratch.path();
            PartialShelf.LocalDir partials = new PartialShelf.LocalDir(shelf.toString());
            long t0 = System.nanoTime();
            ReconcileTransform.readRanges(spark, plan, sources, order, partials);
            long t1 = System.nanoTime();
            long partialBytes;
            try (var files = Files.list(shelf)) {
                partialBytes = files.mapToLong(f -> f.toFile().length()).sum();
            }
            totals = ReconcileTransform.merge(plan, sources, order, partials);
            long t2 = System.nanoTime();
            System.err.printf(java.util.Locale.ROOT, "tally glue-local: %d ranges read in %.2f s on %d cores; partials "
                    + "%,d bytes; driver merge %.2f s%n", plan.workOrder().size(), (t1 - t0) / 1e9,
                    spark.sparkContext().defaultParallelism(), partialBytes, (t2 - t1) / 1e9);
        }
        String ps = Digests.fingerprint(p);
        String is = Digests.fingerprint(i);
        RunInfo info = new RunInfo(RunId.of(List.of(ps, is), tolerances, order),
                new RunInfo.InputFile(p.name(), p.size(), ps), new RunInfo.InputFile(i.name(), i.size(), is),
                tolerances, order, started, "glue");
        reports.publish(info.runId(), set -> ReportWriter.toFiles(set, totals.get(Tracker.PURCHASE),
                totals.get(Tracker.INVENTORY), info));
        return info;
    }
}
