package io.tally.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
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

    /** What a run produced. */
    public record Result(RunInfo info, TrackerTotals purchase, TrackerTotals inventory, Reconciler.Outcome outcome) {}

    private LocalRun() {}

    public static Result run(Path purchase, Path inventory, Path outDir, Options options, Engine.Progress progress)
            throws IOException {
        Instant started = Instant.now();
        ByteSource p = ByteSource.of(purchase);
        ByteSource i = ByteSource.of(inventory);
        ExecutorService hashing = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tally-sha256");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<String> pSha = CompletableFuture.supplyAsync(() -> Digests.sha256Hex(p), hashing);
            CompletableFuture<String> iSha = CompletableFuture.supplyAsync(() -> Digests.sha256Hex(i), hashing);
            Map<Tracker, TrackerTotals> totals = new Engine(options.threads(), options.rangeBytes(), options.dateOrder())
                    .read(p, i, progress);
            String ps = join(pSha);
            String is = join(iSha);
            RunInfo info = new RunInfo(RunInfo.contentRunId(ps, is, options.tolerances(), options.dateOrder()),
                    new RunInfo.InputFile(p.name(), p.size(), ps), new RunInfo.InputFile(i.name(), i.size(), is),
                    options.tolerances(), options.dateOrder(), started, "local");
            TrackerTotals pt = totals.get(Tracker.PURCHASE);
            TrackerTotals it = totals.get(Tracker.INVENTORY);
            Reconciler.Outcome outcome = ReportWriter.toDirectory(outDir, pt, it, info);
            return new Result(info, pt, it, outcome);
        } finally {
            hashing.shutdownNow();
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
