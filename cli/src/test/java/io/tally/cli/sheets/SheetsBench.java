package io.tally.cli.sheets;

import io.tally.core.DateOrder;
import io.tally.functions.sheets.RunReports;
import io.tally.functions.sheets.SheetDownload;
import io.tally.functions.sheets.SheetsWriteBack;
import io.tally.sheets.Backoff;
import io.tally.sheets.RequestPacer;
import io.tally.sheets.SheetsClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times an export of a 1,000,000-row tracker and a publish of a 500,000-key report against the emulator, with
 * the real client paced at Sheets' 60 requests a minute. Prints requests and wall time.
 */
public final class SheetsBench {
    private SheetsBench() {}

    private static void report(String what, SheetsWriteBack.Plan plan, List<Integer> bytes, long started) {
        long max = bytes.stream().mapToLong(Integer::longValue).max().orElse(0);
        double mean = bytes.stream().mapToLong(Integer::longValue).average().orElse(0);
        System.out.printf(
                Locale.ROOT,
                "%s: %,d keys, %,d rows written, %d write requests (largest %,d bytes, mean %,.0f),"
                        + " %.1f s wall (60 writes/min), the analysts' columns protected %.2f s; %s%n",
                what,
                plan.keys(),
                plan.rowsWritten(),
                bytes.size(),
                max,
                mean,
                (System.nanoTime() - started) / 1e9,
                plan.protectedFor().toMillis() / 1e3,
                plan.describe());
    }

    private static int countNotes(SheetsEmulator.Sheet tab) {
        int n = 0;
        for (int r = 2; r < tab.rowCount(); r++) {
            n += tab.cell(r, 14).startsWith("checked ") ? 1 : 0;
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        int exportRows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int publishKeys = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        Path tmp = Files.createTempDirectory("tally-sheets-bench");
        try (SheetsEmulator sheets = SheetsEmulator.start()) {
            Path key = ServiceAccountKey.write(tmp, sheets.tokenUri());
            AtomicInteger retries = new AtomicInteger();
            SheetsClient client;
            try (InputStream in = Files.newInputStream(key)) {
                RequestPacer reads = new RequestPacer(60, Duration.ofMinutes(1), RequestPacer.Clock.SYSTEM);
                RequestPacer writes = new RequestPacer(60, Duration.ofMinutes(1), RequestPacer.Clock.SYSTEM);
                client = new SheetsClient(
                        SheetsClient.client(sheets.root(), in, Duration.ofSeconds(120)),
                        ServiceAccountKey.EMAIL,
                        new SheetsClient.Policy(
                                reads, writes, Backoff.defaults(), new SplittableRandom(), RequestPacer.Clock.SYSTEM),
                        (e, f) -> retries.incrementAndGet());
            }
            List<List<String>> rows = new ArrayList<>(exportRows + 1);
            rows.add(List.of(
                    "DATE", "PURCHASE OFFICER NAME", "INVOICE NUMBER", "NUMBER OF BIRDS", "PURCHASED CHICKEN WEIGHT"));
            for (int r = 0; r < exportRows; r++) {
                rows.add(List.of("2024-01-" + (1 + r % 28), "Officer " + (r % 2_000), "INV-" + r, "10", "23.456"));
            }
            sheets.addSheet("bench-export", "Pullus Purchase Tracker", rows, exportRows + 1, 5);
            rows = null;
            int before = sheets.calls("batchGet") + sheets.calls("get");
            long t0 = System.nanoTime();
            try (OutputStream out = Files.newOutputStream(tmp.resolve("export.csv"))) {
                SheetDownload.Exported e = new SheetDownload(client, 20_000)
                        .export("bench-export", "Pullus Purchase Tracker", DateOrder.DAY_FIRST, out);
                System.out.printf(
                        Locale.ROOT,
                        "export: %,d rows, %,d bytes, %d read requests, %.1f s wall (60 reads/min)%n",
                        e.rows(),
                        e.bytes(),
                        sheets.calls("batchGet") + sheets.calls("get") - before,
                        (System.nanoTime() - t0) / 1e9);
            }

            Path run = Files.createDirectories(tmp.resolve("run"));
            try (Writer w = Files.newBufferedWriter(run.resolve("discrepancies.csv"))) {
                w.write(
                        "date,officer,purchase_birds,inventory_birds,bird_diff,purchase_chicken_kg,inventory_chicken_kg,"
                                + "chicken_diff_kg,chicken_diff_pct,purchase_gizzard_kg,inventory_gizzard_kg,gizzard_diff_kg,"
                                + "purchase_invoices,status\n");
                for (int k = 0; k < publishKeys; k++) {
                    w.write(String.format(
                            Locale.ROOT,
                            "2024-%02d-%02d,Officer %d,200,199,1,480.000,470.500,9.500,1.98,"
                                    + "12.000,11.900,0.100,20,%s%n",
                            1 + (k / 28) % 12,
                            1 + k % 28,
                            k,
                            k % 5 == 0 ? "DISCREPANCY" : "OK"));
                }
            }
            Files.writeString(run.resolve("officers.csv"), "officer,days\nOfficer 1,1\n");
            Files.writeString(run.resolve("rejected_rows.csv"), "tracker,source,row,reason,raw\n");
            Files.writeString(
                    run.resolve("summary.json"), "{\n  \"run_id\" : \"bench\",\n  \"started_at\" : \"now\"\n}\n");
            sheets.addSheet("bench-report", "Sheet1", List.of(), 10, 2);
            SheetsWriteBack.Settings settings = SheetsWriteBack.Settings.defaults();
            int mark = sheets.writeBytes().size();
            long t1 = System.nanoTime();
            SheetsWriteBack.Plan plan = new SheetsWriteBack(client, settings, (e, f) -> {})
                    .publish("bench-report", RunReports.folder(run, Map.of()), false);
            report(
                    "first publish",
                    plan,
                    sheets.writeBytes().subList(mark, sheets.writeBytes().size()),
                    t1);

            // Analysts note ten keys; then a rerun (a new run id, newer) publishes while a second publish of the
            // same run starts a moment later and waits for the lock.
            SheetsEmulator.Sheet tab = sheets.spreadsheet("bench-report").sheet(SheetsWriteBack.DISCREPANCY_TAB);
            for (int k = 0; k < 10; k++) {
                sheets.type("bench-report", SheetsWriteBack.DISCREPANCY_TAB, 2 + k * 5, 14, "checked " + k);
            }
            Files.writeString(
                    run.resolve("summary.json"),
                    "{\n  \"run_id\" : \"bench-2\",\n  \"started_at\" : \"" + Instant.now() + "\"\n}\n");
            RunReports second = RunReports.folder(run, Map.of());
            mark = sheets.writeBytes().size();
            long t2 = System.nanoTime();
            var pool = Executors.newFixedThreadPool(2);
            try {
                var rerun = pool.submit(() ->
                        new SheetsWriteBack(client, settings, (e, f) -> {}).publish("bench-report", second, false));
                Thread.sleep(2_000);
                var again = pool.submit(() ->
                        new SheetsWriteBack(client, settings, (e, f) -> {}).publish("bench-report", second, false));
                SheetsWriteBack.Plan p2 = rerun.get();
                report(
                        "rerun",
                        p2,
                        sheets.writeBytes().subList(mark, sheets.writeBytes().size()),
                        t2);
                SheetsWriteBack.Plan p3 = again.get();
                System.out.printf(
                        Locale.ROOT,
                        "a second publish started 2 s into the rerun waited %.1f s for the lock," + " then: %s%n",
                        p3.waitedForLock().toMillis() / 1e3,
                        p3.describe());
            } finally {
                pool.shutdownNow();
            }
            SheetsEmulator.Sheet now = sheets.spreadsheet("bench-report").sheet(SheetsWriteBack.DISCREPANCY_TAB);
            System.out.printf(
                    Locale.ROOT,
                    "notes kept on the noted keys: %d of 10 (tab rows %,d, was %,d)%n",
                    countNotes(now),
                    now.rowCount(),
                    tab.rowCount());
            System.out.printf(Locale.ROOT, "retries: %d%n", retries.get());
        }
    }
}
