package io.tally.cli;

import io.tally.core.DateOrder;
import io.tally.core.Engine;
import io.tally.core.LocalRun;
import io.tally.core.ReportDirectory;
import io.tally.core.Tracker;
import io.tally.functions.sheets.RunReports;
import io.tally.functions.sheets.SheetDownload;
import io.tally.functions.sheets.SheetsWriteBack;
import io.tally.names.Env;
import io.tally.sheets.Backoff;
import io.tally.sheets.RequestPacer;
import io.tally.sheets.SheetsClient;
import io.tally.sheets.SheetsCredentials;
import io.tally.sheets.SheetsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tally sheets}: the trackers from Google Sheets. */
@Command(
        name = "sheets",
        mixinStandardHelpOptions = true,
        subcommands = {SheetsCommand.Export.class, SheetsCommand.Publish.class, SheetsCommand.Run.class},
        description = "Reads the trackers from Google Sheets and writes the reports back.")
final class SheetsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: export, publish or run");
    }

    /** A tracker given as {@code SPREADSHEET_ID[:SHEET]}. */
    record SheetRef(String spreadsheetId, String sheet) {
        static SheetRef parse(String text, Tracker tracker) {
            int colon = text.indexOf(':');
            String id = colon < 0 ? text : text.substring(0, colon);
            String sheet = colon < 0 ? tracker.sheetName() : text.substring(colon + 1);
            if (id.isBlank() || sheet.isBlank()) {
                throw new TallyCli.UsageException("--" + tracker.label() + " must be SPREADSHEET_ID or "
                        + "SPREADSHEET_ID:SHEET, not '" + text + "'");
            }
            return new SheetRef(id.trim(), sheet);
        }
    }

    /** Options every sheets subcommand takes. */
    static final class Common {
        @Option(
                names = "--credentials",
                paramLabel = "KEY.json",
                required = true,
                description = "A Google service-account key file (its token_uri is honoured).")
        Path credentials;

        @Option(
                names = "--endpoint",
                paramLabel = "URL",
                description = "The Sheets API root URL (default: ${env:" + Env.SHEETS_ENDPOINT + "} or Google's).")
        String endpoint;

        @Option(
                names = "--reads-per-minute",
                paramLabel = "N",
                defaultValue = "60",
                description = "Read requests a minute, at most (default: ${DEFAULT-VALUE}, Sheets' per-user quota).")
        int readsPerMinute;

        @Option(
                names = "--writes-per-minute",
                paramLabel = "N",
                defaultValue = "60",
                description = "Write requests a minute, at most (default: ${DEFAULT-VALUE}).")
        int writesPerMinute;

        @Option(
                names = "--attempts",
                paramLabel = "N",
                defaultValue = "7",
                description = "Tries per request on 429, 5xx and dropped connections (default: ${DEFAULT-VALUE}).")
        int attempts;

        @Option(
                names = "--backoff-cap",
                paramLabel = "SECONDS",
                defaultValue = "64",
                description = "Longest wait between tries (default: ${DEFAULT-VALUE}).")
        int backoffCapSeconds;

        SheetsClient client(PrintWriter log) {
            if (readsPerMinute < 1 || writesPerMinute < 1 || attempts < 1 || backoffCapSeconds < 1) {
                throw new TallyCli.UsageException("--reads-per-minute, --writes-per-minute, --attempts and "
                        + "--backoff-cap must be at least 1");
            }
            if (!Files.isRegularFile(credentials)) {
                throw new TallyCli.UsageException("cannot read the credentials " + credentials + ": no such file");
            }
            String root = endpoint != null
                    ? endpoint
                    : System.getenv().getOrDefault(Env.SHEETS_ENDPOINT, SheetsClient.GOOGLE.toString());
            URI uri;
            try {
                uri = URI.create(root);
            } catch (IllegalArgumentException e) {
                throw new TallyCli.UsageException("--endpoint is not a URL: " + root);
            }
            try {
                byte[] key = Files.readAllBytes(credentials);
                var sheets = SheetsClient.client(uri, new ByteArrayInputStream(key), Duration.ofSeconds(60));
                Duration cap = Duration.ofSeconds(backoffCapSeconds);
                Backoff backoff = new Backoff(
                        attempts, cap.compareTo(Duration.ofSeconds(1)) < 0 ? cap : Duration.ofSeconds(1), cap);
                SheetsClient.Policy policy = new SheetsClient.Policy(
                        new RequestPacer(readsPerMinute, Duration.ofMinutes(1), RequestPacer.Clock.SYSTEM),
                        new RequestPacer(writesPerMinute, Duration.ofMinutes(1), RequestPacer.Clock.SYSTEM),
                        backoff,
                        new SplittableRandom(),
                        RequestPacer.Clock.SYSTEM);
                return new SheetsClient(
                        sheets,
                        SheetsCredentials.account(key),
                        policy,
                        (event, fields) -> log.printf(Locale.ROOT, "tally sheets: %s %s%n", event, fields));
            } catch (IOException e) {
                // ServiceAccountCredentials names what is wrong with the key; the key itself is never printed.
                throw new TallyCli.UsageException("cannot use the credentials " + credentials + ": " + e.getMessage());
            }
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Writes both trackers, as displayed, to DIR/purchase.csv and DIR/inventory.csv.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--purchase",
                required = true,
                paramLabel = "ID[:SHEET]",
                description = "The purchase tracker (default sheet: \"Pullus Purchase Tracker\").")
        String purchase;

        @Option(
                names = "--inventory",
                required = true,
                paramLabel = "ID[:SHEET]",
                description = "The inventory tracker (default sheet: \"Pullus Inventory Tracker\").")
        String inventory;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the two CSV files.")
        Path out;

        @Option(
                names = "--chunk-rows",
                paramLabel = "N",
                defaultValue = "20000",
                description = "Rows per read request (default: ${DEFAULT-VALUE}).")
        int chunkRows;

        @Option(
                names = "--date-order",
                paramLabel = "ORDER",
                defaultValue = "day-first",
                description = "How d/M/yyyy dates will be read, to warn when a sheet's locale differs "
                        + "(default: ${DEFAULT-VALUE}).")
        String dateOrder;

        @CommandLine.Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            Map<Tracker, SheetRef> refs = new EnumMap<>(Tracker.class);
            refs.put(Tracker.PURCHASE, SheetRef.parse(purchase, Tracker.PURCHASE));
            refs.put(Tracker.INVENTORY, SheetRef.parse(inventory, Tracker.INVENTORY));
            if (chunkRows < 1 || chunkRows > 1_000_000) {
                throw new TallyCli.UsageException("--chunk-rows must be 1 to 1000000, not " + chunkRows);
            }
            DateOrder order;
            try {
                order = DateOrder.parse(dateOrder);
            } catch (IllegalArgumentException e) {
                throw new TallyCli.UsageException(e.getMessage());
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new TallyCli.UsageException(out + ": is a file, not a folder");
            }
            PrintWriter err = spec.commandLine().getErr();
            SheetDownload exporter = new SheetDownload(common.client(err), chunkRows);
            exportBoth(exporter, refs, order, out, spec.commandLine().getOut(), err);
            return TallyCli.OK;
        }
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = "Writes a run's reports into the report spreadsheet, keeping the analysts' notes.")
    static final class Publish implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--run",
                required = true,
                paramLabel = "DIR",
                description = "A folder of reports (tally reconcile --out).")
        Path run;

        @Option(names = "--report", required = true, paramLabel = "ID", description = "The report spreadsheet.")
        String report;

        @Option(
                names = "--dry-run",
                description = "Print what would change (keys added, removed, changed; notes kept) and change nothing.")
        boolean dryRun;

        @CommandLine.Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(run.resolve("summary.json"))) {
                throw new TallyCli.UsageException(run + ": holds no reports (no summary.json)");
            }
            PrintWriter err = spec.commandLine().getErr();
            publish(
                    common,
                    common.client(err),
                    report,
                    RunReports.folder(run, Map.of()),
                    dryRun,
                    spec.commandLine().getOut(),
                    err);
            return TallyCli.OK;
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Exports both trackers from Sheets, reconciles them, and publishes the reports back.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--purchase", required = true, paramLabel = "ID[:SHEET]", description = "The purchase tracker.")
        String purchase;

        @Option(
                names = "--inventory",
                required = true,
                paramLabel = "ID[:SHEET]",
                description = "The inventory tracker.")
        String inventory;

        @Option(names = "--report", required = true, paramLabel = "ID", description = "The report spreadsheet.")
        String report;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the reports.")
        Path out;

        @Option(
                names = "--chunk-rows",
                paramLabel = "N",
                defaultValue = "20000",
                description = "Rows per read request (default: ${DEFAULT-VALUE}).")
        int chunkRows;

        @Option(names = "--fail-on-discrepancy", description = "Exit with code 1 when any key is not OK.")
        boolean failOnDiscrepancy;

        @CommandLine.Mixin
        ReconcileOptions reconcile;

        @CommandLine.Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            Map<Tracker, SheetRef> refs = new EnumMap<>(Tracker.class);
            refs.put(Tracker.PURCHASE, SheetRef.parse(purchase, Tracker.PURCHASE));
            refs.put(Tracker.INVENTORY, SheetRef.parse(inventory, Tracker.INVENTORY));
            ReportDirectory reports = ReportDirectory.of(out);
            reports.check();
            LocalRunOptions options = new LocalRunOptions(reconcile);
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            SheetsClient client = common.client(err);
            Path work = Files.createTempDirectory("tally-sheets-");
            try {
                err.println("tally sheets run: exporting the trackers...");
                Map<Tracker, SheetDownload.Exported> exported =
                        exportBoth(new SheetDownload(client, chunkRows), refs, options.order(), work, stdout, err);
                // Named after the sheets, so rejected_rows.csv names the sheet a row is in.
                Map<Tracker, Path> files = new EnumMap<>(Tracker.class);
                Map<String, RunReports.SourceSheet> sources = new HashMap<>();
                for (Tracker t : Tracker.values()) {
                    Path named = work.resolve("sheets").resolve(refs.get(t).sheet());
                    Files.createDirectories(named.getParent());
                    Files.move(work.resolve(t.label() + ".csv"), named);
                    files.put(t, named);
                    SheetsClient.SheetInfo info = client.sheet(
                            refs.get(t).spreadsheetId(), refs.get(t).sheet());
                    sources.put(
                            t.label(),
                            new RunReports.SourceSheet(refs.get(t).spreadsheetId(), info.sheetId(), info.title()));
                }
                err.println("tally sheets run: reconciling...");
                LocalRun.Result result = LocalRun.run(
                        files.get(Tracker.PURCHASE),
                        files.get(Tracker.INVENTORY),
                        out,
                        options.options(),
                        Engine.Progress.NONE);
                err.println("tally sheets run: publishing to spreadsheet " + report + "...");
                publish(
                        common,
                        client,
                        report,
                        RunReports.folder(out, sources),
                        false,
                        stdout,
                        spec.commandLine().getErr());
                return failOnDiscrepancy && !result.outcome().allOk() ? TallyCli.DISCREPANCIES : TallyCli.OK;
            } finally {
                try (var walk = Files.walk(work)) {
                    walk.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The reconcile options as {@code LocalRun} takes them. */
    private record LocalRunOptions(ReconcileOptions reconcile) {
        DateOrder order() {
            return reconcile.order();
        }

        LocalRun.Options options() {
            return new LocalRun.Options(reconcile.tolerances(), reconcile.order(), Engine.defaultThreads(), 0);
        }
    }

    static void publish(
            Common common,
            SheetsClient client,
            String report,
            RunReports reports,
            boolean dryRun,
            PrintWriter out,
            PrintWriter err)
            throws IOException {
        // What a person must know of: a wait for another publish, a skipped run, a tab kept, a note not copied.
        Set<String> told = Set.of(
                "sheets.publish-waiting",
                "sheets.publish-skipped",
                "sheets.lock-taken-over",
                "sheets.tab-kept",
                "sheets.note-conflict",
                "sheets.previous-left",
                "sheets.unprotect-failed");
        SheetsWriteBack publisher = new SheetsWriteBack(client, SheetsWriteBack.Settings.defaults(), (e, f) -> {
            if (told.contains(e)) {
                err.printf(Locale.ROOT, "tally sheets: %s %s%n", e, f);
                err.flush();
            }
        });
        SheetsWriteBack.Plan plan;
        try {
            plan = publisher.publish(report, reports, dryRun);
        } catch (SheetsException s) {
            throw SheetsClient.retryable(s.status()) || s.status() == 0
                    ? new TallyCli.RunFailedException(s.getMessage())
                    : new TallyCli.UsageException(s.getMessage());
        } catch (SheetsWriteBack.Busy b) {
            throw new TallyCli.RunFailedException(b.getMessage());
        }
        out.println((dryRun ? "dry run, nothing changed: " : "published to " + report + ": ") + plan.describe());
    }

    /**
     * Exports both trackers in parallel into {@code dir}/{tracker}.csv. Each is written to a hidden file first;
     * only when both are complete are they moved into place, so a failed export leaves the folder as it was.
     */
    static Map<Tracker, SheetDownload.Exported> exportBoth(
            SheetDownload exporter,
            Map<Tracker, SheetRef> refs,
            DateOrder order,
            Path dir,
            PrintWriter out,
            PrintWriter err)
            throws IOException {
        Files.createDirectories(dir);
        Map<Tracker, Path> temps = new EnumMap<>(Tracker.class);
        Map<Tracker, SheetDownload.Exported> done = new EnumMap<>(Tracker.class);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<Tracker, Future<SheetDownload.Exported>> futures = new EnumMap<>(Tracker.class);
            for (Tracker t : Tracker.values()) {
                Path temp = Files.createTempFile(dir, "." + t.label() + "-", ".csv.part");
                temps.put(t, temp);
                SheetRef ref = refs.get(t);
                futures.put(t, pool.submit(() -> {
                    try (OutputStream o = Files.newOutputStream(temp)) {
                        return exporter.export(ref.spreadsheetId(), ref.sheet(), order, o);
                    }
                }));
            }
            for (Tracker t : Tracker.values()) {
                done.put(t, await(futures.get(t)));
            }
            for (Tracker t : Tracker.values()) {
                Files.move(
                        temps.get(t),
                        dir.resolve(t.label() + ".csv"),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            pool.shutdownNow();
            for (Path temp : temps.values()) {
                Files.deleteIfExists(temp);
            }
        }
        for (Tracker t : Tracker.values()) {
            SheetDownload.Exported e = done.get(t);
            e.warning().ifPresent(w -> err.println("tally: warning: " + w));
            out.printf(
                    Locale.ROOT,
                    "%-9s %s '%s': %,d rows, %,d bytes -> %s%n",
                    t.label(),
                    e.spreadsheetId(),
                    e.sheet(),
                    e.rows(),
                    e.bytes(),
                    dir.resolve(t.label() + ".csv"));
        }
        return done;
    }

    private static SheetDownload.Exported await(Future<SheetDownload.Exported> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof SheetsException s) {
                // A refusal that will not change (no such sheet, no permission) is the user's to fix: exit 2.
                // Sheets or the network still failing after every retry is a failed run: exit 3.
                throw SheetsClient.retryable(s.status()) || s.status() == 0
                        ? new TallyCli.RunFailedException(s.getMessage())
                        : new TallyCli.UsageException(s.getMessage());
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }
}
