package io.tally.cli.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.cli.TallyCli;
import io.tally.core.DateOrder;
import io.tally.core.Engine;
import io.tally.core.LocalRun;
import io.tally.core.ReportWriter;
import io.tally.core.sample.SampleGenerator;
import io.tally.functions.sheets.SheetDownload;
import io.tally.sheets.Backoff;
import io.tally.sheets.RequestPacer;
import io.tally.sheets.SheetsClient;
import io.tally.sheets.SheetsException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exporting the trackers from Google Sheets, with Google's own client against the emulator: the same reports as
 * the CSV a user downloads, row numbers included; quotas paced; faults retried; failures named, with nothing
 * half-written left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SheetsExportIT {
    @TempDir
    static Path tmp;

    private SheetsEmulator sheets;
    private Path key;

    @BeforeAll
    void start() throws Exception {
        sheets = SheetsEmulator.start();
        key = ServiceAccountKey.write(Files.createDirectories(tmp.resolve("key")), sheets.tokenUri());
    }

    @AfterAll
    void stop() {
        sheets.close();
    }

    private SheetsClient client(int readsPerWindow, Duration window, Backoff backoff, List<String> log)
            throws Exception {
        try (InputStream in = Files.newInputStream(key)) {
            RequestPacer reads = new RequestPacer(readsPerWindow, window, RequestPacer.Clock.SYSTEM);
            RequestPacer writes = new RequestPacer(readsPerWindow, window, RequestPacer.Clock.SYSTEM);
            return new SheetsClient(
                    SheetsClient.client(sheets.root(), in, Duration.ofSeconds(5)),
                    ServiceAccountKey.EMAIL,
                    new SheetsClient.Policy(reads, writes, backoff, new SplittableRandom(1), RequestPacer.Clock.SYSTEM),
                    (event, fields) -> log.add(event + " " + fields));
        }
    }

    private static Map<String, String> reports(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String f : List.of(
                ReportWriter.DISCREPANCIES,
                ReportWriter.REJECTED,
                ReportWriter.OFFICERS,
                ReportWriter.FINDINGS,
                ReportWriter.INVOICES)) {
            out.put(f, Files.readString(dir.resolve(f)));
        }
        return out;
    }

    private int tally(StringWriter out, StringWriter err, String... args) {
        return TallyCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void exportOfAMessySheet_givesTheDownloadedCsv_andTheSameReportsRowNumbersIncluded() throws Exception {
        SampleGenerator.Written w =
                new SampleGenerator(new SampleGenerator.Options(200_000, 21, true)).write(tmp.resolve("source"));
        List<List<String>> p = Csv.parse(Files.readString(w.purchase()));
        List<List<String>> i = Csv.parse(Files.readString(w.inventory()));
        // Blank rows inside the data, and the grid a little taller than the data, as real sheets are.
        p.add(5_000, new ArrayList<>());
        p.add(40_001, List.of("", "", ""));
        sheets.addSheet("purchase-sheet", "Pullus Purchase Tracker", p, p.size() + 250, 12);
        sheets.addSheet("inventory-sheet", "Pullus Inventory Tracker", i, i.size() + 7, 9);

        // The CSV path: what a user downloads from these sheets, reconciled.
        Path downloaded = Files.createDirectories(tmp.resolve("downloaded"));
        Files.writeString(downloaded.resolve("purchase.csv"), Csv.download(p));
        Files.writeString(downloaded.resolve("inventory.csv"), Csv.download(i));
        LocalRun.run(
                downloaded.resolve("purchase.csv"),
                downloaded.resolve("inventory.csv"),
                tmp.resolve("r-csv"),
                LocalRun.Options.defaults(),
                Engine.Progress.NONE);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path exported = tmp.resolve("exported");
        int readsBefore = sheets.calls("batchGet");
        int code = tally(
                out,
                err,
                "sheets",
                "export",
                "--purchase",
                "purchase-sheet",
                "--inventory",
                "inventory-sheet",
                "--out",
                exported.toString(),
                "--credentials",
                key.toString(),
                "--endpoint",
                sheets.root().toString(),
                "--reads-per-minute",
                "300");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(exported.resolve("purchase.csv"))).isEqualTo(Csv.download(p));
        assertThat(Files.readString(exported.resolve("inventory.csv"))).isEqualTo(Csv.download(i));
        assertThat(out.toString()).contains("purchase-sheet 'Pullus Purchase Tracker'");
        // One read per 20,000 rows of each grid (the metadata reads come on top).
        int expectedReads = (p.size() + 250 + 19_999) / 20_000 + (i.size() + 7 + 19_999) / 20_000;
        assertThat(sheets.calls("batchGet") - readsBefore).isEqualTo(expectedReads);

        LocalRun.run(
                exported.resolve("purchase.csv"),
                exported.resolve("inventory.csv"),
                tmp.resolve("r-sheets"),
                LocalRun.Options.defaults(),
                Engine.Progress.NONE);
        Map<String, String> fromSheets = reports(tmp.resolve("r-sheets"));
        assertThat(fromSheets).isEqualTo(reports(tmp.resolve("r-csv")));
        assertThat(fromSheets.get(ReportWriter.REJECTED).lines().count())
                .as("messy data has rejected rows")
                .isGreaterThan(100);
    }

    @Test
    void a429Storm_isRetriedWithBackoff_andThePacerKeepsUnderTheQuota() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "DATE", "PURCHASE OFFICER NAME", "INVOICE NUMBER", "NUMBER OF BIRDS", "PURCHASED CHICKEN WEIGHT"));
        for (int k = 0; k < 1_000; k++) {
            rows.add(List.of("2024-01-0" + (1 + k % 9), "Ada Obi", "INV-" + k, "1", "2.5"));
        }
        sheets.addSheet("storm", "Pullus Purchase Tracker", rows, 1_001, 5);
        sheets.readQuota(6, Duration.ofSeconds(1));
        try {
            sheets.script(
                    new SheetsEmulator.Status(429),
                    new SheetsEmulator.Status(429),
                    new SheetsEmulator.Status(429),
                    new SheetsEmulator.Status(500),
                    new SheetsEmulator.Status(503));
            List<String> log = new CopyOnWriteArrayList<>();
            SheetsClient client = client(
                    5, Duration.ofSeconds(1), new Backoff(8, Duration.ofMillis(50), Duration.ofMillis(400)), log);
            ByteArrayOutputStream csv = new ByteArrayOutputStream();
            SheetDownload.Exported e =
                    new SheetDownload(client, 100).export("storm", "Pullus Purchase Tracker", DateOrder.DAY_FIRST, csv);
            assertThat(e.rows()).isEqualTo(1_001);
            assertThat(csv.toString(StandardCharsets.UTF_8)).isEqualTo(Csv.download(rows));
            assertThat(log)
                    .filteredOn(l -> l.startsWith("sheets.retry"))
                    .hasSize(5)
                    .anySatisfy(l -> assertThat(l).contains("status=429").contains("sheet=Pullus Purchase Tracker"));
            assertThat(sheets.quotaRefusals())
                    .as("the pacer kept every read inside the quota")
                    .isZero();
            assertThat(sheets.maxReadsInAWindow()).isLessThanOrEqualTo(6);
        } finally {
            sheets.readQuota(Integer.MAX_VALUE, Duration.ofMinutes(1));
        }
    }

    @Test
    void aDroppedConnectionAndASlowAnswer_areRetriedOrWaitedFor() throws Exception {
        sheets.addSheet(
                "flaky",
                "Pullus Inventory Tracker",
                List.of(
                        List.of("DATE", "PURCHASE OFFICER NAME", "NUMBER OF BIRDS", "INVENTORY CHICKEN WEIGHT"),
                        List.of("2024-01-01", "Ada", "1", "1")),
                10,
                4);
        // Java's HTTP client itself repeats a GET once when a kept-alive connection drops; a second drop in a row
        // reaches Tally's retry.
        sheets.script(
                new SheetsEmulator.Drop(), new SheetsEmulator.Drop(), new SheetsEmulator.Slow(Duration.ofMillis(300)));
        List<String> log = new CopyOnWriteArrayList<>();
        SheetDownload.Exported e = new SheetDownload(
                        client(
                                100,
                                Duration.ofSeconds(1),
                                new Backoff(4, Duration.ofMillis(20), Duration.ofMillis(100)),
                                log),
                        5)
                .export("flaky", "Pullus Inventory Tracker", DateOrder.DAY_FIRST, new ByteArrayOutputStream());
        assertThat(e.rows()).isEqualTo(2);
        assertThat(log)
                .filteredOn(l -> l.startsWith("sheets.retry"))
                .singleElement()
                .satisfies(l -> assertThat(l).contains("status=0"));
    }

    @Test
    void retriesRunningOut_failWithOneLineNamingTheSpreadsheetSheetAndRange_andLeaveNoExport() throws Exception {
        sheets.addSheet("down-p", "Pullus Purchase Tracker", List.of(List.of("DATE")), 5, 3);
        sheets.addSheet("down-i", "Pullus Inventory Tracker", List.of(List.of("DATE")), 5, 3);
        SheetsClient client = client(
                100,
                Duration.ofSeconds(1),
                new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(20)),
                new CopyOnWriteArrayList<>());
        client.sheet("down-p", "Pullus Purchase Tracker"); // warm the token
        sheets.script(new SheetsEmulator.Status(500), new SheetsEmulator.Status(500), new SheetsEmulator.Status(500));
        assertThatThrownBy(() -> client.read("down-p", "Pullus Purchase Tracker", "'Pullus Purchase Tracker'!A1:C5"))
                .isInstanceOf(SheetsException.class)
                .hasMessage(
                        "spreadsheet down-p, sheet 'Pullus Purchase Tracker', range 'Pullus Purchase Tracker'!A1:C5: "
                                + "gave up after 3 attempts; the last answer was 500 Internal error encountered.");

        // Through the CLI: exit 3, one line, and the folder holds no export at all.
        Path out = Files.createDirectories(tmp.resolve("down"));
        for (int k = 0; k < 4; k++) { // both trackers' metadata reads, two attempts each
            sheets.script(new SheetsEmulator.Status(503));
        }
        StringWriter err = new StringWriter();
        int code;
        try {
            code = tally(
                    new StringWriter(),
                    err,
                    "sheets",
                    "export",
                    "--purchase",
                    "down-p",
                    "--inventory",
                    "down-i",
                    "--out",
                    out.toString(),
                    "--credentials",
                    key.toString(),
                    "--endpoint",
                    sheets.root().toString(),
                    "--attempts",
                    "2",
                    "--backoff-cap",
                    "1");
        } finally {
            sheets.clearFaults();
        }
        assertThat(code).as(err.toString()).isEqualTo(TallyCli.INTERNAL);
        assertThat(err.toString().lines().filter(l -> l.startsWith("tally: ") && !l.startsWith("tally sheets:")))
                .singleElement()
                .satisfies(
                        l -> assertThat(l).contains("gave up after 2 attempts").contains("sheet '"));
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aSheetThatIsNotThere_isNamed_andExitsTwo() throws Exception {
        sheets.addSheet("named", "Some Other Tab", List.of(List.of("x")), 5, 3);
        StringWriter err = new StringWriter();
        int code = tally(
                new StringWriter(),
                err,
                "sheets",
                "export",
                "--purchase",
                "named",
                "--inventory",
                "named:Some Other Tab",
                "--out",
                tmp.resolve("nt").toString(),
                "--credentials",
                key.toString(),
                "--endpoint",
                sheets.root().toString());
        assertThat(code).isEqualTo(TallyCli.USAGE);
        assertThat(err.toString())
                .contains("spreadsheet named has no sheet 'Pullus Purchase Tracker' (it has: Some Other Tab)");
    }

    @Test
    void sheetsRun_exportsReconcilesAndPublishes_withAProgressLinePerStage() throws Exception {
        sheets.addSheet(
                "run-p",
                "Pullus Purchase Tracker",
                List.of(
                        List.of(
                                "DATE",
                                "PURCHASE OFFICER NAME",
                                "INVOICE NUMBER",
                                "NUMBER OF BIRDS",
                                "PURCHASED CHICKEN WEIGHT"),
                        List.of("2024-01-01", "Ada Obi", "I1", "10", "100"),
                        List.of("31/02/2024", "Ada Obi", "I2", "10", "100")),
                20,
                6);
        sheets.addSheet(
                "run-i",
                "Pullus Inventory Tracker",
                List.of(
                        List.of("DATE", "PURCHASE OFFICER NAME", "NUMBER OF BIRDS", "INVENTORY CHICKEN WEIGHT"),
                        List.of("2024-01-01", "Ada Obi", "9", "100")),
                20,
                5);
        SheetsEmulator.Spreadsheet report = sheets.addSheet("run-report", "Sheet1", List.of(), 10, 3);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dir = tmp.resolve("run-out");
        int code = tally(
                out,
                err,
                "sheets",
                "run",
                "--purchase",
                "run-p",
                "--inventory",
                "run-i",
                "--report",
                "run-report",
                "--out",
                dir.toString(),
                "--credentials",
                key.toString(),
                "--endpoint",
                sheets.root().toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString())
                .contains("tally sheets run: exporting")
                .contains("tally sheets run: reconciling")
                .contains("tally sheets run: publishing to spreadsheet run-report");
        assertThat(Files.readString(dir.resolve(ReportWriter.REJECTED)))
                .contains("purchase,Pullus Purchase Tracker,3,BAD_DATE: 31/02/2024");
        assertThat(out.toString()).contains("published to run-report: run ");
        // Nothing of the key or the token is ever printed.
        String keyText = Files.readString(key);
        String privateKey = keyText.substring(keyText.indexOf("MII"), keyText.indexOf("MII") + 40);
        assertThat(out.toString() + err.toString())
                .doesNotContain("PRIVATE KEY")
                .doesNotContain(privateKey)
                .doesNotContain("emulated-token");
        SheetsEmulator.Sheet rejected = report.sheet("Rejected Rows");
        assertThat(rejected.cell(1, 2)).isEqualTo("3");
        assertThat(rejected.cell(1, 5)).isEqualTo("open row 3");
        assertThat(report.sheet("Discrepancy Report").cell(2, 13)).isEqualTo("DISCREPANCY");
    }

    @Test
    void aLocaleThatShowsDatesTheOtherWay_isWarnedAbout() throws Exception {
        SheetsEmulator.Spreadsheet s = sheets.addSheet("us", "Pullus Purchase Tracker", List.of(List.of("DATE")), 5, 3);
        sheets.addSheet("us", "Pullus Inventory Tracker", List.of(List.of("DATE")), 5, 3);
        s.locale = "en_US";
        StringWriter err = new StringWriter();
        int code = tally(
                new StringWriter(),
                err,
                "sheets",
                "export",
                "--purchase",
                "us",
                "--inventory",
                "us",
                "--out",
                tmp.resolve("us").toString(),
                "--credentials",
                key.toString(),
                "--endpoint",
                sheets.root().toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString())
                .contains("tally: warning: spreadsheet us uses locale en_US, which shows d/M/yyyy "
                        + "dates month-first, but dates are read day-first");
    }
}
