package io.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.core.ReportWriter;
import io.tally.core.sample.SampleGenerator;
import io.tally.cli.local.LocalDriver;
import io.tally.cli.local.LocalPipeline;
import io.tally.functions.run.Json;
import io.tally.functions.run.RunStatus;
import io.tally.functions.run.Tier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally local}: the serverless pipeline on this machine. Embedded S3 and SQS, the real Lambda
 * handlers, driven as Lambda would drive them; the reports land in {@code --out}.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Runs the serverless pipeline (S3 upload -> planner -> SQS -> chunk workers -> reduce queue -> reducer) "
                + "on embedded S3 and SQS, and copies reports/latest/ to --out.")
final class LocalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--purchase", paramLabel = "FILE", description = "The purchase tracker (default: generated).")
    Path purchase;

    @Option(names = "--inventory", paramLabel = "FILE", description = "The inventory tracker (default: generated).")
    Path inventory;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "Without --purchase/--inventory: purchase rows of a generated messy pair (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the reports.")
    Path out;

    @Option(names = "--tier", paramLabel = "TIER", description = "Force inline or fanout (default: by input size).")
    String tier;

    @Option(names = "--range-size", paramLabel = "BYTES", defaultValue = "67108864",
            description = "Bytes per fan-out range (default: ${DEFAULT-VALUE}, 64 MiB).")
    long rangeSize;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "10", description = "SQS messages per worker call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--visibility-timeout", paramLabel = "S", defaultValue = "30",
            description = "SQS visibility timeout in seconds (default: ${DEFAULT-VALUE}).")
    int visibility;

    @Option(names = "--workers", paramLabel = "N", description = "Concurrent worker invocations (default: one per core).")
    Integer workers;

    @CommandLine.Mixin
    ReconcileOptions reconcile;

    @Option(names = "--verbose", description = "Print the functions' log and metric lines to stderr.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if ((purchase == null) != (inventory == null)) {
            throw new TallyCli.UsageException("give both --purchase and --inventory, or neither (to use generated data)");
        }
        if (purchase != null) {
            ReconcileCommand.requireReadable("purchase", purchase);
            ReconcileCommand.requireReadable("inventory", inventory);
        }
        LocalPipeline.Settings settings = settings();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("tally-local-");
        try {
            if (purchase == null) {
                SampleGenerator.Written w = new SampleGenerator(new SampleGenerator.Options(rows, 42, true))
                        .write(work.resolve("sample"));
                purchase = w.purchase();
                inventory = w.inventory();
            }
            stderr.println("tally local: starting embedded S3 and SQS...");
            try (LocalPipeline pipeline = LocalPipeline.start(work, settings,
                    verbose ? stderr::println : line -> { })) {
                stderr.println("tally local: uploading the trackers to s3://" + LocalPipeline.BUCKET + "/incoming/...");
                LocalDriver.Listener progress = (range, done, total) -> stderr.printf(Locale.ROOT,
                        "  range %-16s done (%d/%d)%n", range.label(), done, total);
                LocalPipeline.Result r = pipeline.run(purchase, inventory, progress);
                if (r.status().state() != RunStatus.State.SUCCEEDED) {
                    throw new TallyCli.UsageException("run " + r.runId() + " failed: " + r.status().reason());
                }
                pipeline.copyLatest(out);
                print(stdout, r);
            }
            return TallyCli.OK;
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private LocalPipeline.Settings settings() {
        try {
            LocalPipeline.Settings d = LocalPipeline.Settings.defaults();
            if (rangeSize < 1) {
                throw new IllegalArgumentException("--range-size must be positive");
            }
            return new LocalPipeline.Settings(Optional.ofNullable(tier).map(Tier::parse), rangeSize, batchSize,
                    visibility, workers == null ? d.workers() : workers, d.maxReceiveCount(),
                    reconcile.tolerances(), reconcile.order(), false, d.timeout());
        } catch (IllegalArgumentException e) {
            throw new TallyCli.UsageException(e.getMessage());
        }
    }

    private void print(PrintWriter o, LocalPipeline.Result r) throws java.io.IOException {
        JsonNode s = Json.MAPPER.readTree(Files.readString(out.resolve(ReportWriter.SUMMARY)));
        o.printf(Locale.ROOT, "Tally run %s (%s, %d range(s)): upload %.1f s, run %.1f s%n", r.runId(),
                r.status().tier(), r.ranges(), r.uploadTime().toMillis() / 1000.0, r.runTime().toMillis() / 1000.0);
        for (String t : new String[] {"purchase", "inventory"}) {
            JsonNode rows = s.path("rows").path(t);
            o.printf(Locale.ROOT, "  %-9s %,d rows: %,d accepted, %,d rejected, %,d blank%n", t,
                    rows.path("read").asLong(), rows.path("accepted").asLong(), rows.path("rejected").asLong(),
                    rows.path("blank").asLong());
        }
        JsonNode k = s.path("keys");
        o.printf(Locale.ROOT, "  keys      %,d: OK %,d, DISCREPANCY %,d, MISSING_INVENTORY %,d, MISSING_PURCHASE %,d%n",
                k.path("total").asLong(), k.path("OK").asLong(), k.path("DISCREPANCY").asLong(),
                k.path("MISSING_INVENTORY").asLong(), k.path("MISSING_PURCHASE").asLong());
        o.printf("  reports in %s: %s%n", out.toAbsolutePath().normalize(), String.join(", ", ReportWriter.FILES));
    }
}
