package io.tally.cli.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.cli.local.EmbeddedAws;
import io.tally.cli.local.LocalPipeline;
import io.tally.core.ReportWriter;
import io.tally.core.Tracker;
import io.tally.functions.run.Json;
import io.tally.functions.run.Planner;
import io.tally.functions.sheets.SheetsExport;
import io.tally.functions.sheets.SheetsWriteBack;
import io.tally.names.BucketKeys;
import io.tally.names.Env;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google Sheets in the serverless flow, on the embedded S3 and SQS and the Sheets emulator: the scheduled export
 * starts a run, the run's success triggers the publish function, unchanged sheets start nothing, and a publish
 * that keeps failing ends in its dead-letter queue without touching the reports in S3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SheetsServerlessIT {
    @TempDir
    static Path tmp;

    private EmbeddedAws aws;
    private SheetsEmulator sheets;
    private byte[] key;

    @BeforeAll
    void start() throws Exception {
        aws = EmbeddedAws.start(tmp.resolve("s3"));
        sheets = SheetsEmulator.start();
        key = Files.readAllBytes(
                ServiceAccountKey.write(Files.createDirectories(tmp.resolve("key")), sheets.tokenUri()));
        sheets.addSheet(
                "p-sheet",
                "Pullus Purchase Tracker",
                List.of(
                        List.of(
                                "DATE",
                                "PURCHASE OFFICER NAME",
                                "INVOICE NUMBER",
                                "NUMBER OF BIRDS",
                                "PURCHASED CHICKEN WEIGHT"),
                        List.of("2024-01-01", "Ada Obi", "I1", "10", "100"),
                        List.of("2024-01-02", "Bola Eze", "I2", "10", "100"),
                        List.of("31/02/2024", "Bola Eze", "I3", "10", "100")),
                40,
                6);
        sheets.addSheet(
                "i-sheet",
                "Pullus Inventory Tracker",
                List.of(
                        List.of("DATE", "PURCHASE OFFICER NAME", "NUMBER OF BIRDS", "INVENTORY CHICKEN WEIGHT"),
                        List.of("2024-01-01", "Ada Obi", "10", "100"),
                        List.of("2024-01-02", "Bola Eze", "9", "100")),
                40,
                5);
    }

    @AfterAll
    void stop() throws Exception {
        sheets.close();
        aws.close();
    }

    private LocalPipeline pipeline(String bucket, String report) {
        LocalPipeline.Settings d = LocalPipeline.Settings.defaults();
        LocalPipeline.Settings s = new LocalPipeline.Settings(
                        Optional.of(Tier.INLINE),
                        1 << 20,
                        10,
                        1,
                        1,
                        2,
                        d.tolerances(),
                        d.dateOrder(),
                        false,
                        Duration.ofMinutes(2))
                .withSheets(
                        Map.of(
                                Env.SHEETS_PURCHASE,
                                "p-sheet",
                                Env.SHEETS_INVENTORY,
                                "i-sheet",
                                Env.SHEETS_REPORT,
                                report,
                                Env.SHEETS_SECRET,
                                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:tally-google",
                                Env.SHEETS_ENDPOINT,
                                sheets.root().toString(),
                                Env.SHEETS_CHUNK_ROWS,
                                "10",
                                Env.SHEETS_READS_PER_MINUTE,
                                "600"),
                        () -> key);
        return LocalPipeline.on(aws, bucket, s, line -> {}, UnaryOperator.identity());
    }

    private static String export(LocalPipeline p) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.functions()
                .sheetsExport()
                .orElseThrow()
                .handleRequest(
                        new ByteArrayInputStream(
                                Files.readAllBytes(Path.of(System.getProperty("tally.events", "../events"))
                                        .resolve("scheduled-event.json"))),
                        out,
                        null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void scheduledExport_startsARun_whoseSuccessPublishes_andUnchangedSheetsStartNothing() throws Exception {
        SheetsEmulator.Spreadsheet report = sheets.addSheet("report-ok", "Sheet1", List.of(), 5, 2);
        try (LocalPipeline p = pipeline("tally-sheets-ok", "report-ok")) {
            String answer = export(p);
            assertThat(answer).contains("\"uploaded\" : true");
            String purchaseKey = RunKeys.incoming(Tracker.PURCHASE) + "Pullus Purchase Tracker";
            var object = p.wiring().store().head(purchaseKey).orElseThrow();
            assertThat(p.wiring().store().head(SheetsExport.recordKey(Tracker.INVENTORY)))
                    .isPresent();

            // S3 tells the upload handler of the new object; the inline run publishes, and that announces it.
            String planned = p.driver().upload(purchaseKey, object.size(), object.etag());
            String runId = Json.read(planned, LocalPipeline.UploadAnswer.class)
                    .results()[0]
                    .runId();
            assertThat(p.driver().status(runId).orElseThrow().state()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(new String(
                            p.wiring()
                                    .store()
                                    .get(RunKeys.reports(runId) + ReportWriter.REJECTED)
                                    .orElseThrow(),
                            StandardCharsets.UTF_8))
                    .contains("purchase,Pullus Purchase Tracker,4,BAD_DATE: 31/02/2024");
            p.driver().settle(Duration.ofMinutes(1));
            SheetsEmulator.Sheet tab = report.sheet(SheetsWriteBack.DISCREPANCY_TAB);
            assertThat(tab.cell(0, 0)).contains("run " + runId);
            assertThat(report.sheet(SheetsWriteBack.REJECTED_TAB).cell(1, 5)).isEqualTo("open row 4");

            // The same sheets again: nothing is uploaded, so no run starts.
            assertThat(export(p)).contains("\"uploaded\" : false").doesNotContain("\"uploaded\" : true");
            assertThat(p.wiring().store().head(purchaseKey).orElseThrow().etag())
                    .isEqualTo(object.etag());
        }
    }

    @Test
    void aPublishThatKeepsFailing_endsInItsDeadLetterQueue_andLeavesTheRunAndItsReportsAlone() throws Exception {
        try (LocalPipeline p = pipeline("tally-sheets-dlq", "no-such-spreadsheet")) {
            export(p);
            String purchaseKey = RunKeys.incoming(Tracker.PURCHASE) + "Pullus Purchase Tracker";
            var object = p.wiring().store().head(purchaseKey).orElseThrow();
            String runId = Json.read(
                            p.driver().upload(purchaseKey, object.size(), object.etag()),
                            LocalPipeline.UploadAnswer.class)
                    .results()[0]
                    .runId();
            byte[] reports = p.wiring()
                    .store()
                    .get(RunKeys.reports(runId) + ReportWriter.DISCREPANCIES)
                    .orElseThrow();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (p.driver().publishDeadLetters() == 0 && Instant.now().isBefore(deadline)) {
                p.driver().settle(Duration.ofSeconds(30));
            }
            assertThat(p.driver().publishDeadLetters()).isEqualTo(1);
            assertThat(p.driver().status(runId).orElseThrow().state()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(p.wiring()
                            .store()
                            .get(RunKeys.reports(runId) + ReportWriter.DISCREPANCIES)
                            .orElseThrow())
                    .isEqualTo(reports);
        }
    }

    @Test
    void anExportMovingBothTrackers_startsOneRun_onBothNewOnes() throws Exception {
        try (LocalPipeline p = pipeline("tally-sheets-move", "report-move")) {
            sheets.addSheet("report-move", "Sheet1", List.of(), 5, 2);
            var store = p.wiring().store();
            String purchaseKey = RunKeys.incoming(Tracker.PURCHASE) + "Pullus Purchase Tracker";
            String inventoryKey = RunKeys.incoming(Tracker.INVENTORY) + "Pullus Inventory Tracker";
            // Older trackers are there already, as from an earlier export.
            store.put(
                    purchaseKey,
                    ("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                                    + "2023-12-01,Ada Obi,I0,1,10\n")
                            .getBytes(StandardCharsets.UTF_8),
                    "text/csv");
            store.put(
                    inventoryKey,
                    ("DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                                    + "2023-12-01,Ada Obi,1,10\n")
                            .getBytes(StandardCharsets.UTF_8),
                    "text/csv");
            Thread.sleep(1_100); // S3 dates objects to the second
            // An export is moving both: the purchase tracker has arrived, the inventory tracker not yet.
            store.put(
                    RunKeys.EXPORT_MOVING,
                    Json.bytes(new SheetsExport.Moving(
                            "e1",
                            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                            List.of(purchaseKey, inventoryKey))),
                    "application/json");
            store.put(
                    purchaseKey,
                    ("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                                    + "2024-01-01,Ada Obi,I1,10,100\n")
                            .getBytes(StandardCharsets.UTF_8),
                    "text/csv");
            var purchase = store.head(purchaseKey).orElseThrow();
            LocalPipeline.UploadAnswer first = Json.read(
                    p.driver().upload(purchaseKey, purchase.size(), purchase.etag()), LocalPipeline.UploadAnswer.class);
            assertThat(first.results()[0].outcome()).isEqualTo(Planner.Outcome.WAITING);
            store.put(
                    inventoryKey,
                    ("DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                                    + "2024-01-01,Ada Obi,10,100\n")
                            .getBytes(StandardCharsets.UTF_8),
                    "text/csv");
            var inventory = store.head(inventoryKey).orElseThrow();
            String runId = Json.read(
                            p.driver().upload(inventoryKey, inventory.size(), inventory.etag()),
                            LocalPipeline.UploadAnswer.class)
                    .results()[0]
                    .runId();
            assertThat(new String(
                            store.get(RunKeys.reports(runId) + ReportWriter.DISCREPANCIES)
                                    .orElseThrow(),
                            StandardCharsets.UTF_8))
                    .contains("2024-01-01,Ada Obi")
                    .doesNotContain("2023-12-01");
            store.delete(RunKeys.EXPORT_MOVING);

            // A real export moves through staging and leaves neither staging nor the marker behind.
            assertThat(export(p)).contains("\"uploaded\" : true");
            assertThat(store.list(BucketKeys.EXPORTS + "staging/")).isEmpty();
            assertThat(store.head(RunKeys.EXPORT_MOVING)).isEmpty();
            assertThat(new String(store.get(purchaseKey).orElseThrow(), StandardCharsets.UTF_8))
                    .contains("Bola Eze");
        }
    }

    @Test
    void twoRunsPublishingAtOnce_bothSucceed_andTheNewerIsShown() throws Exception {
        SheetsEmulator.Spreadsheet report = sheets.addSheet("report-race", "Sheet1", List.of(), 5, 2);
        try (LocalPipeline p = pipeline("tally-sheets-race", "report-race")) {
            var store = p.wiring().store();
            String purchaseKey = RunKeys.incoming(Tracker.PURCHASE) + "p.csv";
            String inventoryKey = RunKeys.incoming(Tracker.INVENTORY) + "i.csv";
            List<String> runIds = new ArrayList<>();
            for (int birds : new int[] {9, 8}) {
                store.put(
                        purchaseKey,
                        ("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN "
                                        + "WEIGHT\n2024-01-01,Ada Obi,I1,10,100\n")
                                .getBytes(StandardCharsets.UTF_8),
                        "text/csv");
                store.put(
                        inventoryKey,
                        ("DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n" + "2024-01-01,Ada Obi,"
                                        + birds + ",100\n")
                                .getBytes(StandardCharsets.UTF_8),
                        "text/csv");
                var o = store.head(inventoryKey).orElseThrow();
                runIds.add(
                        Json.read(p.driver().upload(inventoryKey, o.size(), o.etag()), LocalPipeline.UploadAnswer.class)
                                .results()[0]
                                .runId());
                Thread.sleep(1_100);
            }
            // Both runs' publishes at once, as two publish functions would run them.
            var publish = p.wiring().sheetsPublish();
            var pool = Executors.newFixedThreadPool(2);
            try {
                var a = pool.submit(() -> publish.publish(runIds.get(1)));
                var b = pool.submit(() -> publish.publish(runIds.get(0)));
                a.get();
                b.get();
            } finally {
                pool.shutdownNow();
            }
            SheetsEmulator.Sheet tab = report.sheet(SheetsWriteBack.DISCREPANCY_TAB);
            assertThat(tab.cell(0, 0)).contains("run " + runIds.get(1));
            assertThat(tab.cell(2, 3)).isEqualTo("8");
            assertThat(report.sheets()).extracting(SheetsEmulator.Sheet::title).noneMatch(t -> t.contains("("));
        }
    }
}
