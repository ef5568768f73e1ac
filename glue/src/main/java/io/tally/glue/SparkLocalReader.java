package io.tally.glue;

import io.tally.core.ByteSource;
import io.tally.core.Engine;
import io.tally.core.FolderLock;
import io.tally.core.InputFault;
import io.tally.core.Invoices;
import io.tally.core.LocalRun;
import io.tally.core.RangePlan;
import io.tally.core.Reconcile;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tally glue-local}'s reader: the Glue job's transform in Spark local mode (UI off) on this machine, each
 * range a task. The CLI's {@code glue-local} command finds it with {@link java.util.ServiceLoader} and runs it through
 * {@link LocalRun}, so the options, the report folder's checks and the check that no tracker changed are
 * {@code tally reconcile}'s. Spark's scratch files and the partials' shelf go to one folder of its own under
 * {@code java.io.tmpdir}, removed at the end; a failure to write there is one line naming it.
 */
public final class SparkLocalReader implements LocalRun.Reader {
    private final SparkSession session;

    /** For {@link java.util.ServiceLoader}: each read starts a session and stops it. */
    public SparkLocalReader() {
        this(null);
    }

    /** Reads on {@code session}, which it leaves running (tests share one). */
    SparkLocalReader(SparkSession session) {
        this.session = session;
    }

    @Override
    public String executor() {
        return "glue";
    }

    @Override
    public Map<Tracker, TrackerTotals> read(
            Path purchase, Path inventory, LocalRun.Options options, Reconcile run, Engine.Progress progress)
            throws IOException {
        return withSpark(options, (spark, shelf) -> read(spark, purchase, inventory, options, run, shelf, progress));
    }

    /** {@code invoices.csv}'s second pass as the Glue job runs it: the spans read again as Spark tasks. */
    @Override
    public Invoices invoices(
            Map<Tracker, TrackerTotals> totals, Path purchase, Path inventory, LocalRun.Options options, Reconcile run)
            throws IOException {
        Map<Tracker, TrackerBytes> sources = localFiles(purchase, inventory);
        return withSpark(
                options,
                (spark, shelf) -> ReconcileTransform.invoices(
                        spark,
                        totals,
                        sources,
                        run,
                        options.tolerances(),
                        new PartialShelf.LocalDir(shelf.toString())));
    }

    /** Work for a Spark session, with a folder of its own for the shelf. */
    private interface SparkWork<T> {
        T run(SparkSession spark, Path shelf) throws IOException;
    }

    private <T> T withSpark(LocalRun.Options options, SparkWork<T> work) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // A folder locked by this process (FolderLock): a killed run's, with Spark's spark-* and blockmgr-* inside,
        // is removed by the next run, and no live process's is ever touched.
        FolderLock.Scratch locked;
        try {
            locked = FolderLock.scratch(tmp, "tally-glue-");
        } catch (IOException e) {
            throw scratchFault(tmp, e);
        }
        Path scratch = locked.path();
        try {
            Path shelf = Files.createDirectory(scratch.resolve("partials"));
            if (session != null) {
                return work.run(session, shelf);
            }
            SparkSession spark = SparkSession.builder()
                    .appName("tally-glue-local")
                    .master("local[" + options.threads() + "]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.local.dir", scratch.toString())
                    .getOrCreate();
            try {
                return work.run(spark, shelf);
            } finally {
                spark.stop();
            }
        } catch (RuntimeException | IOException e) {
            throw explained(e, scratch);
        } finally {
            locked.close();
        }
    }

    private static Map<Tracker, TrackerTotals> read(
            SparkSession spark,
            Path purchase,
            Path inventory,
            LocalRun.Options options,
            Reconcile run,
            Path shelfDir,
            Engine.Progress progress) {
        ByteSource p = ByteSource.of(purchase);
        ByteSource i = ByteSource.of(inventory);
        // The plan tally reconcile would follow with these options.
        RangePlan plan = new Engine(options.threads(), options.rangeBytes(), run).plan(p, i);
        Map<Tracker, TrackerBytes> sources = localFiles(purchase, inventory);
        PartialShelf.LocalDir shelf = new PartialShelf.LocalDir(shelfDir.toString());
        long t0 = System.nanoTime();
        ReconcileTransform.readRanges(spark, plan, sources, options.dateOrder(), shelf);
        progress.advanced(p.size() + i.size());
        long t1 = System.nanoTime();
        Map<Tracker, TrackerTotals> totals = ReconcileTransform.merge(plan, sources, run, shelf);
        if (Boolean.getBoolean("tally.timings")) {
            System.err.printf(
                    Locale.ROOT,
                    "timings: %d ranges read in %.2f s on %d cores; driver merge %.2f s%n",
                    plan.workOrder().size(),
                    (t1 - t0) / 1e9,
                    spark.sparkContext().defaultParallelism(),
                    (System.nanoTime() - t1) / 1e9);
        }
        return totals;
    }

    /**
     * What a failed read means to the user. Spark hands a task's exception back wrapped in its own; the cause
     * that names the input (a bad file, a changed tracker) is thrown as it is, and a file-system fault in the
     * scratch folder becomes one line naming the folder and what to do.
     */
    static RuntimeException explained(Exception failure, Path scratch) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InputFault) {
                return (RuntimeException) t;
            }
            if (t instanceof OutOfMemoryError oom) {
                throw oom;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io && mentions(io, scratch)) {
                return scratchFault(scratch, io);
            }
        }
        return failure instanceof RuntimeException r ? r : new UncheckedIOException((IOException) failure);
    }

    private static boolean mentions(IOException io, Path scratch) {
        String what = String.valueOf(io.getMessage());
        return what.contains(scratch.toString())
                || what.contains("No space left on device")
                || io instanceof FileSystemException fs
                        && String.valueOf(fs.getFile()).startsWith(scratch.toString());
    }

    private static UncheckedIOException scratchFault(Path folder, IOException io) {
        String reason = io instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason()
                : io instanceof NoSuchFileException ? "no such folder" : String.valueOf(io.getMessage());
        return new UncheckedIOException(
                "cannot write Spark's temporary files in " + folder + " (" + reason
                        + "); free space there, or give another temporary folder with TALLY_JAVA_OPTS=-Djava.io.tmpdir=DIR",
                io);
    }

    /** Both trackers as the local files Spark's tasks read. */
    private static Map<Tracker, TrackerBytes> localFiles(Path purchase, Path inventory) {
        Map<Tracker, TrackerBytes> sources = new EnumMap<>(Tracker.class);
        sources.put(
                Tracker.PURCHASE,
                new TrackerBytes.LocalFile(purchase.toAbsolutePath().toString()));
        sources.put(
                Tracker.INVENTORY,
                new TrackerBytes.LocalFile(inventory.toAbsolutePath().toString()));
        return sources;
    }
}
