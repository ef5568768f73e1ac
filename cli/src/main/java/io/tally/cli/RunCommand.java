package io.tally.cli;

import io.tally.core.Engine;
import io.tally.core.LocalRun;
import io.tally.core.ReportDirectory;
import io.tally.core.SummaryReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code tally reconcile} and {@code tally glue-local} share: the same options, the same checks before any
 * work (the options' ranges, the trackers, the report folder), one {@link LocalRun} (which checks that no tracker
 * changed while it was read and publishes the set), and the same summary. Only the reader differs.
 */
abstract class RunCommand implements Callable<Integer> {
    /** Inputs larger than this get a progress bar. */
    private static final long PROGRESS_THRESHOLD = 64L << 20;
    /** Smaller ranges only add per-range work; 0 means chosen from the input size. */
    static final long MIN_RANGE_BYTES = 4096;
    /** Threads beyond this many per core only add memory and switching. */
    static final int MAX_THREADS_PER_CORE = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--purchase", required = true, paramLabel = "FILE", description = "The purchase tracker (CSV).")
    Path purchase;

    @Option(names = "--inventory", required = true, paramLabel = "FILE", description = "The inventory tracker (CSV).")
    Path inventory;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the reports.")
    Path out;

    @CommandLine.Mixin
    ReconcileOptions reconcile;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer threads;

    @Option(
            names = "--range-size",
            paramLabel = "BYTES",
            description = "Bytes per range each thread reads at a time (default: chosen from the input size).")
    long rangeSize;

    @Option(names = "--fail-on-discrepancy", description = "Exit with code 1 when any key is not OK.")
    boolean failOnDiscrepancy;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The reader of this command; called after the options and the inputs are checked. */
    abstract LocalRun.Reader reader();

    /** How the summary's first line names the run's workers. */
    abstract String workers(LocalRun.Options options);

    @Override
    public Integer call() throws IOException {
        LocalRun.Options options = options();
        requireReadable("purchase", purchase);
        requireReadable("inventory", inventory);
        ReportDirectory reports = ReportDirectory.of(out);
        reports.check();
        reports.refuseInputsInside(List.of(purchase, inventory));
        LocalRun.Reader reader = reader();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        long total = Files.size(purchase) + Files.size(inventory);
        Instant start = Instant.now();
        LocalRun.Result result;
        try (ProgressBar bar = ProgressBar.start(stderr, total, !quiet && total >= PROGRESS_THRESHOLD)) {
            result = LocalRun.run(purchase, inventory, out, options, bar, reader);
        }
        print(stdout, stderr, result, options, Duration.between(start, Instant.now()));
        return failOnDiscrepancy && !result.outcome().allOk() ? TallyCli.DISCREPANCIES : TallyCli.OK;
    }

    private LocalRun.Options options() {
        int n = threads == null ? Engine.defaultThreads() : threads;
        if (n < 1) {
            throw new TallyCli.UsageException("--threads must be at least 1, not " + n);
        }
        int cores = Engine.defaultThreads();
        if (n > cores * MAX_THREADS_PER_CORE) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            Locale.ROOT,
                            "tally: using %d threads: --threads %d is more than %d "
                                    + "per core, and this machine has %d core(s)%n",
                            cores * MAX_THREADS_PER_CORE,
                            n,
                            MAX_THREADS_PER_CORE,
                            cores);
            n = cores * MAX_THREADS_PER_CORE;
        }
        if (rangeSize != 0 && rangeSize < MIN_RANGE_BYTES) {
            throw new TallyCli.UsageException("--range-size must be at least " + MIN_RANGE_BYTES
                    + " bytes (or 0 to choose from the input size), not " + rangeSize);
        }
        try {
            return new LocalRun.Options(reconcile.tolerances(), reconcile.order(), n, rangeSize);
        } catch (IllegalArgumentException e) {
            throw new TallyCli.UsageException(e.getMessage());
        }
    }

    /** A tracker must be a readable file: says which of that it is not. Shared with {@code tally local}. */
    static void requireReadable(String which, Path file) {
        String cannot = "cannot read the " + which + " tracker " + shown(file);
        if (!Files.isRegularFile(file)) {
            throw new TallyCli.UsageException(cannot
                    + (Files.isDirectory(file)
                            ? ": it is a directory, not a file"
                            : Files.exists(file)
                                    ? ": not a file"
                                    : undecodable(file) ? ": " + undecodableReason() : ": no such file"));
        }
        if (!Files.isReadable(file)) {
            throw new TallyCli.UsageException(cannot + ": permission denied");
        }
        if (reportsEmptyButIsNot(file)) {
            throw new TallyCli.UsageException(cannot + ": it reports a size of 0 but has content (a special file, such "
                    + "as one under /proc), so it cannot be read in ranges; copy it to a regular file and give that");
        }
    }

    /** The path as one line of text: control characters are written {@code \xNN}. */
    static String shown(Path file) {
        String s = file.toString();
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Whether the name came from bytes the JVM could not decode (each became U+FFFD) and its folder holds such a
     * file: Java opens files by names it can encode, so it cannot open this one, though it exists.
     */
    private static boolean undecodable(Path file) {
        Path name = file.getFileName();
        if (name == null || name.toString().indexOf('\uFFFD') < 0) {
            return false;
        }
        Path folder = file.toAbsolutePath().getParent();
        try (var entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().equals(name.toString())) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static String undecodableReason() {
        String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
        return encoding.equalsIgnoreCase("UTF-8")
                ? "its name is not valid UTF-8, and Java cannot open such a name; rename the file (or give a link "
                        + "to it whose name is UTF-8)"
                : "its name is not valid in this locale's encoding (" + encoding + "), so Java cannot open it; run "
                        + "with a UTF-8 locale (LC_ALL=C.UTF-8) or rename the file";
    }

    /** A file whose size says 0 but that reads bytes (Linux /proc files): ranges are cut by the size. */
    private static boolean reportsEmptyButIsNot(Path file) {
        try {
            if (Files.size(file) != 0) {
                return false;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return in.read() >= 0;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private void print(PrintWriter o, PrintWriter e, LocalRun.Result r, LocalRun.Options options, Duration took)
            throws IOException {
        ConsoleSummary.print(
                o,
                e,
                String.format(
                        Locale.ROOT,
                        "Tally run %s: %s, %.1f s",
                        r.info().runId(),
                        workers(options),
                        took.toMillis() / 1000.0),
                out,
                SummaryReport.of(r.purchase(), r.inventory(), r.info(), r.outcome()).warnings().stream()
                        .map(SummaryReport.Warning::message)
                        .toList());
    }
}
