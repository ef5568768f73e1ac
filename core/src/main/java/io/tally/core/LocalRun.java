package io.tally.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One reconciliation of two local files into a report folder, on this machine's cores. */
public final class LocalRun {

    /**
     * @param tolerances when a weight loss becomes a discrepancy
     * @param dateOrder  how {@code d/M/yyyy} dates are read
     * @param threads    worker threads
     * @param rangeBytes bytes per range, 0 for automatic
     */
    public record Options(Tolerances tolerances, DateOrder dateOrder, int threads, long rangeBytes) {
        public Options {
            Objects.requireNonNull(tolerances, "tolerances");
            Objects.requireNonNull(dateOrder, "dateOrder");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, not " + threads);
            }
            if (rangeBytes < 0) {
                throw new IllegalArgumentException("range size must not be negative");
            }
        }

        public static Options defaults() {
            return new Options(Tolerances.DEFAULT, DateOrder.DAY_FIRST, Engine.defaultThreads(), 0);
        }
    }

    /**
     * How a run reads both trackers into their totals: on this machine's threads ({@link #THREADS}), or in
     * Spark local mode ({@code tally glue-local}, found with {@link java.util.ServiceLoader}). Everything else
     * about a run (the report folder's checks, the change check on the inputs, the run id, the reports) is
     * {@link LocalRun}'s, whichever reads.
     */
    public interface Reader {
        /** The run's {@code executor} in {@code summary.json}. */
        String executor();

        /** Both trackers' totals, reading as {@code options} say and telling {@code progress} of bytes read. */
        Map<Tracker, TrackerTotals> read(
                Path purchase, Path inventory, Options options, Reconcile run, Engine.Progress progress)
                throws IOException;

        /**
         * {@code invoices.csv}'s second pass over both trackers, once {@code totals} are merged; by default on
         * {@link Options#threads()} threads of this process.
         */
        default Invoices invoices(
                Map<Tracker, TrackerTotals> totals, Path purchase, Path inventory, Options options, Reconcile run)
                throws IOException {
            return run.invoices(
                    totals,
                    Map.of(Tracker.PURCHASE, ByteSource.of(purchase), Tracker.INVENTORY, ByteSource.of(inventory)),
                    options.tolerances(),
                    options.threads());
        }
    }

    /** {@code tally reconcile}'s reader: core's {@link Engine} on {@link Options#threads()} threads. */
    public static final Reader THREADS = new Reader() {
        @Override
        public String executor() {
            return "local";
        }

        @Override
        public Map<Tracker, TrackerTotals> read(
                Path purchase, Path inventory, Options options, Reconcile run, Engine.Progress progress) {
            return new Engine(options.threads(), options.rangeBytes(), run)
                    .read(ByteSource.of(purchase), ByteSource.of(inventory), progress);
        }
    };

    /** What a run produced. */
    public record Result(RunInfo info, TrackerTotals purchase, TrackerTotals inventory, Reconciler.Outcome outcome) {}

    private LocalRun() {}

    public static Result run(Path purchase, Path inventory, Path outDir, Options options, Engine.Progress progress)
            throws IOException {
        return run(purchase, inventory, outDir, options, progress, THREADS);
    }

    /**
     * A run whose trackers {@code reader} reads.
     *
     * @throws RunTooLarge if memory runs out, saying what the run held
     */
    public static Result run(
            Path purchase, Path inventory, Path outDir, Options options, Engine.Progress progress, Reader reader)
            throws IOException {
        Reconcile run = new Reconcile(options.dateOrder());
        try {
            return run(purchase, inventory, outDir, options, progress, reader, run);
        } catch (OutOfMemoryError e) {
            // Down here the run's totals are out of reach again, so there is room to say what they were.
            throw new RunTooLarge(run.memory(), e);
        }
    }

    private static Result run(
            Path purchase,
            Path inventory,
            Path outDir,
            Options options,
            Engine.Progress progress,
            Reader reader,
            Reconcile run)
            throws IOException {
        Instant started = Instant.now();
        // The report folder is checked before any work, and what a killed run left there is removed.
        ReportDirectory reports = ReportDirectory.of(outDir);
        reports.check();
        reports.refuseInputsInside(List.of(purchase, inventory));
        reports.cleanStale();
        ByteSource p = ByteSource.of(purchase);
        ByteSource i = ByteSource.of(inventory);
        ExecutorService hashing = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tally-fingerprint");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<String> pSha = CompletableFuture.supplyAsync(() -> Digests.fingerprint(p), hashing);
            CompletableFuture<String> iSha = CompletableFuture.supplyAsync(() -> Digests.fingerprint(i), hashing);
            long t0 = System.nanoTime();
            FileStamp pStamp = FileStamp.of(purchase);
            FileStamp iStamp = FileStamp.of(inventory);
            Map<Tracker, TrackerTotals> totals;
            Invoices invoices;
            long tRead;
            try {
                totals = reader.read(purchase, inventory, options, run, progress);
                tRead = System.nanoTime();
                invoices = reader.invoices(totals, purchase, inventory, options, run);
            } catch (IOException | RuntimeException e) {
                pStamp.requireUnchanged(e);
                iStamp.requireUnchanged(e);
                throw e;
            }
            try (invoices) {
                pStamp.requireUnchanged(null);
                iStamp.requireUnchanged(null);
                long t1 = System.nanoTime();
                String ps = join(pSha);
                String is = join(iSha);
                long t2 = System.nanoTime();
                String runId = RunId.of(List.of(ps, is), options.tolerances(), options.dateOrder());
                RunInfo info = new RunInfo(
                        runId,
                        new RunInfo.InputFile(p.name(), p.size(), ps),
                        new RunInfo.InputFile(i.name(), i.size(), is),
                        options.tolerances(),
                        options.dateOrder(),
                        started,
                        reader.executor());
                TrackerTotals pt = totals.get(Tracker.PURCHASE);
                TrackerTotals it = totals.get(Tracker.INVENTORY);
                Reconciler.Outcome outcome =
                        reports.publish(info.runId(), set -> ReportWriter.toFiles(set, pt, it, invoices, info));
                if (Boolean.getBoolean("tally.timings")) {
                    System.err.printf(
                            Locale.ROOT,
                            "timings: read %.2fs, invoices pass %.2fs (%,d bytes read again; %,d lines, %,d bytes on"
                                    + " disk), digest wait %.2fs, reports %.2fs%n",
                            (tRead - t0) / 1e9,
                            (t1 - tRead) / 1e9,
                            invoices.bytesReadAgain(),
                            invoices.linesOnDisk(),
                            invoices.bytesOnDisk(),
                            (t2 - t1) / 1e9,
                            (System.nanoTime() - t2) / 1e9);
                }
                return new Result(info, pt, it, outcome);
            }
        } finally {
            hashing.shutdownNow();
        }
    }

    /** A file's size and modification time, to tell that it changed while it was read. */
    private record FileStamp(Path file, long size, FileTime modified) {
        static FileStamp of(Path file) throws IOException {
            return new FileStamp(file, Files.size(file), Files.getLastModifiedTime(file));
        }

        /** @param failure what the read threw, if it threw: a changed file explains it */
        void requireUnchanged(Exception failure) {
            long nowSize;
            FileTime nowModified;
            try {
                nowSize = Files.size(file);
                nowModified = Files.getLastModifiedTime(file);
            } catch (IOException e) {
                throw new InputChangedException(
                        file.toString(),
                        file + " changed while Tally read it (it is gone now: " + e
                                + "); run again on a copy that nothing writes to");
            }
            if (nowSize != size || !nowModified.equals(modified)) {
                InputChangedException changed = new InputChangedException(
                        file.toString(),
                        file + " changed while Tally read it ("
                                + (nowSize != size
                                        ? "its size went from " + size + " to " + nowSize + " bytes"
                                        : "it was modified at " + nowModified)
                                + "); run again on a copy that nothing writes to");
                if (failure != null) {
                    changed.addSuppressed(failure);
                }
                throw changed;
            }
        }
    }

    private static String join(CompletableFuture<String> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
