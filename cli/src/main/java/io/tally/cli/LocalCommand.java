package io.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.cli.local.LocalDriver;
import io.tally.cli.local.LocalPipeline;
import io.tally.cli.local.WorkFolder;
import io.tally.core.ReportDirectory;
import io.tally.core.ReportWriter;
import io.tally.core.sample.SampleGenerator;
import io.tally.functions.run.Json;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally local}: the serverless pipeline on this machine. Embedded S3 and SQS, the real Lambda
 * handlers, driven as Lambda would drive them; the reports land in {@code --out}.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description =
                "Runs the serverless pipeline (S3 upload -> planner -> SQS -> chunk workers -> reduce queue -> reducer) "
                        + "on embedded S3 and SQS, and copies reports/latest/ to --out.")
final class LocalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--purchase", paramLabel = "FILE", description = "The purchase tracker (default: generated).")
    Path purchase;

    @Option(names = "--inventory", paramLabel = "FILE", description = "The inventory tracker (default: generated).")
    Path inventory;

    @Option(
            names = "--rows",
            paramLabel = "N",
            defaultValue = "100000",
            description =
                    "Without --purchase/--inventory: purchase rows of a generated messy pair (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the reports.")
    Path out;

    @Option(names = "--tier", paramLabel = "TIER", description = "Force inline or fanout (default: by input size).")
    String tier;

    @Option(
            names = "--range-size",
            paramLabel = "BYTES",
            defaultValue = "67108864",
            description = "Bytes per fan-out range (default: ${DEFAULT-VALUE}, 64 MiB).")
    long rangeSize;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "10",
            description = "SQS messages per worker call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--visibility-timeout",
            paramLabel = "S",
            defaultValue = "30",
            description = "SQS visibility timeout in seconds (default: ${DEFAULT-VALUE}).")
    int visibility;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Concurrent worker invocations (default: one per core).")
    Integer workers;

    @CommandLine.Mixin
    ReconcileOptions reconcile;

    @Option(names = "--verbose", description = "Print the functions' log and metric lines to stderr.")
    boolean verbose;

    /**
     * The tracker's name becomes an S3 key, and S3 lists keys in XML 1.0, which cannot carry a control character
     * (the embedded S3 then answers XML the SDK cannot parse): refused before anything starts.
     */
    private static void requireObjectName(String which, Path file) {
        String name = String.valueOf(file.getFileName());
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new TallyCli.UsageException("cannot use the " + which + " tracker " + ReconcileCommand.shown(file)
                    + " in tally local: its name holds a control character, which an S3 key cannot carry in S3's XML; "
                    + "rename the file (tally reconcile reads it as it is)");
        }
    }

    @Override
    public Integer call() throws Exception {
        if ((purchase == null) != (inventory == null)) {
            throw new TallyCli.UsageException(
                    "give both --purchase and --inventory, or neither (to use generated data)");
        }
        if (purchase != null) {
            ReconcileCommand.requireReadable("purchase", purchase);
            ReconcileCommand.requireReadable("inventory", inventory);
            requireObjectName("purchase", purchase);
            requireObjectName("inventory", inventory);
        }
        LocalPipeline.Settings settings = settings();
        ReportDirectory reports = ReportDirectory.of(out);
        reports.check();
        reports.cleanStale();
        if (purchase != null) {
            reports.refuseInputsInside(List.of(purchase, inventory));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try (WorkFolder work = WorkFolder.create()) {
            if (purchase == null) {
                SampleGenerator.Written w = new SampleGenerator(new SampleGenerator.Options(rows, 42, true))
                        .write(work.path().resolve("sample"));
                purchase = w.purchase();
                inventory = w.inventory();
            }
            stderr.println("tally local: starting embedded S3 and SQS...");
            try (LocalPipeline pipeline =
                    LocalPipeline.start(work.path(), settings, verbose ? stderr::println : line -> {})) {
                stderr.println("tally local: uploading the trackers to s3://" + LocalPipeline.BUCKET + "/incoming/...");
                LocalDriver.Listener progress = (range, done, total) ->
                        stderr.printf(Locale.ROOT, "  range %-16s done (%d/%d)%n", range.label(), done, total);
                LocalPipeline.Result r = pipeline.run(purchase, inventory, progress);
                if (r.status().state() != RunStatus.State.SUCCEEDED) {
                    String why = "run " + r.runId() + " failed: " + r.status().reason();
                    // Exit 2 only when the input is at fault; a failed run for any other reason is 3.
                    throw r.status().fault() == RunStatus.Fault.INPUT
                            ? new TallyCli.UsageException(why)
                            : new TallyCli.RunFailedException(why);
                }
                pipeline.copyLatest(out);
                print(stdout, stderr, r);
            }
            return TallyCli.OK;
        }
    }

    /** Smallest range: each range is an SQS message, a ranged GET and a stored partial. */
    static final long MIN_RANGE_BYTES = 64 << 10;

    static final int MAX_WORKERS = 64;
    /** SQS's longest visibility timeout: 12 hours. */
    static final int MAX_VISIBILITY_SECONDS = 43_200;

    private LocalPipeline.Settings settings() {
        LocalPipeline.Settings d = LocalPipeline.Settings.defaults();
        int w = workers == null ? d.workers() : workers;
        requireWithin(
                "--range-size",
                rangeSize,
                MIN_RANGE_BYTES,
                Long.MAX_VALUE,
                "smaller ranges cost a message, a request and a partial each");
        requireWithin("--batch-size", batchSize, 1, 10, "SQS delivers 1 to 10 messages a batch");
        requireWithin("--visibility-timeout", visibility, 1, MAX_VISIBILITY_SECONDS, "SQS allows 1 s to 12 hours");
        requireWithin("--workers", w, 1, MAX_WORKERS, "each worker is a concurrent invocation in this JVM");
        return new LocalPipeline.Settings(
                Optional.ofNullable(tier).map(this::tier),
                rangeSize,
                batchSize,
                visibility,
                w,
                d.maxReceiveCount(),
                reconcile.tolerances(),
                reconcile.order(),
                false,
                d.timeout());
    }

    private Tier tier(String text) {
        try {
            return Tier.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TallyCli.UsageException("--tier: " + e.getMessage());
        }
    }

    private static void requireWithin(String option, long value, long min, long max, String why) {
        if (value < min || value > max) {
            throw new TallyCli.UsageException(
                    option + " must be " + (max == Long.MAX_VALUE ? "at least " + min : min + " to " + max) + " (" + why
                            + "), not " + value);
        }
    }

    private void print(PrintWriter o, PrintWriter e, LocalPipeline.Result r) throws IOException {
        ConsoleSummary.print(
                o,
                e,
                String.format(
                        Locale.ROOT,
                        "Tally run %s (%s, %d range(s)): upload %.1f s, run %.1f s",
                        r.runId(),
                        r.status().tier(),
                        r.ranges(),
                        r.uploadTime().toMillis() / 1000.0,
                        r.runTime().toMillis() / 1000.0),
                out,
                warnings(out));
    }

    /** The run's warnings, as its summary.json lists them. */
    private static List<String> warnings(Path out) throws IOException {
        List<String> warnings = new ArrayList<>();
        for (JsonNode w : Json.MAPPER
                .readTree(Files.readString(out.resolve(ReportWriter.SUMMARY)))
                .path("warnings")) {
            warnings.add(w.path("message").asText());
        }
        return warnings;
    }
}
