package io.tally.cli.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.core.DateOrder;
import io.tally.core.Engine;
import io.tally.core.LocalRun;
import io.tally.core.Tolerances;
import io.tally.functions.sheets.RunReports;
import io.tally.functions.sheets.SheetsWriteBack;
import io.tally.sheets.Backoff;
import io.tally.sheets.RequestPacer;
import io.tally.sheets.SheetsClient;
import io.tally.sheets.SheetsException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Writing the reports back: the analysts' notes are never lost. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SheetsPublishIT {
    private static final String P =
            "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n";
    private static final String I = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n";

    @TempDir
    static Path tmp;

    private SheetsEmulator sheets;
    private SheetsClient client;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        sheets = SheetsEmulator.start();
        Path key = ServiceAccountKey.write(Files.createDirectories(tmp.resolve("key")), sheets.tokenUri());
        try (InputStream in = Files.newInputStream(key)) {
            RequestPacer pacer = new RequestPacer(1_000, Duration.ofSeconds(1), RequestPacer.Clock.SYSTEM);
            client = new SheetsClient(
                    SheetsClient.client(sheets.root(), in, Duration.ofSeconds(5)),
                    ServiceAccountKey.EMAIL,
                    new SheetsClient.Policy(
                            pacer,
                            pacer,
                            new Backoff(2, Duration.ofMillis(10), Duration.ofMillis(20)),
                            new SplittableRandom(2),
                            RequestPacer.Clock.SYSTEM),
                    (e, f) -> {});
        }
    }

    @AfterAll
    void stop() {
        sheets.close();
    }

    /** Reconciles two small trackers into a fresh folder and returns its reports. */
    private RunReports run(String purchase, String inventory) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run-" + runs.incrementAndGet()));
        Path p = Files.writeString(dir.resolve("p.csv"), P + purchase);
        Path i = Files.writeString(dir.resolve("i.csv"), I + inventory);
        LocalRun.run(
                p,
                i,
                dir.resolve("out"),
                new LocalRun.Options(Tolerances.DEFAULT, DateOrder.DAY_FIRST, 1, 0),
                Engine.Progress.NONE);
        return RunReports.folder(
                dir.resolve("out"),
                Map.of("purchase", new RunReports.SourceSheet("source-sheet", 77, "Pullus Purchase Tracker")));
    }

    private SheetsWriteBack publisher(long cellLimit) {
        return new SheetsWriteBack(client, cellLimit, 2, (e, f) -> {});
    }

    private SheetsEmulator.Spreadsheet emptyReport(String id) {
        return sheets.addSheet(id, "Notes of my own", List.of(List.of("keep me")), 10, 3);
    }

    @Test
    void firstPublish_writesFiveFormattedTabs_asText() throws Exception {
        SheetsEmulator.Spreadsheet s = emptyReport("first");
        RunReports r = run(
                "2024-01-01,=HYPERLINK(\"x\"),I1,10,100\n2024-01-02,Ada Obi,I2,10,100\n",
                "2024-01-01,=hyperlink(\"x\"),10,50\n");
        SheetsWriteBack.Plan plan = publisher(SheetsWriteBack.CELL_LIMIT).publish("first", r, false);
        assertThat(plan.added()).isEqualTo(2);
        assertThat(s.sheets())
                .extracting(SheetsEmulator.Sheet::title)
                .containsExactly(
                        SheetsWriteBack.DISCREPANCY_TAB,
                        SheetsWriteBack.FINDINGS_TAB,
                        SheetsWriteBack.INVOICES_TAB,
                        SheetsWriteBack.OFFICER_TAB,
                        SheetsWriteBack.REJECTED_TAB,
                        "Notes of my own");
        SheetsEmulator.Sheet d = s.sheet(SheetsWriteBack.DISCREPANCY_TAB);
        assertThat(d.cell(0, 0)).startsWith("Last refreshed ").contains("run " + r.runId());
        assertThat(d.cell(1, 14)).isEqualTo("reason");
        assertThat(d.cell(1, 15)).isEqualTo("findings");
        assertThat(d.cell(1, 16)).isEqualTo(SheetsWriteBack.COMMENTS);
        assertThat(d.cell(1, 17)).isEqualTo(SheetsWriteBack.RESOLUTION);
        assertThat(d.frozenRowCount()).isEqualTo(2);
        // A formula-like officer name lands as text, without the CSV's escape.
        assertThat(d.rowOf("2024-01-01", "=hyperlink(\"x\")")).isPositive();
        assertThat(d.conditionalFormats()).hasSize(4);
        assertThat(d.validations()).singleElement().satisfies(v -> assertThat(v.toString())
                .contains("ONE_OF_LIST")
                .contains("INVESTIGATING")
                .contains("WONT_FIX"));
        assertThat(s.sheet("Notes of my own").cell(0, 0)).isEqualTo("keep me");
    }

    /**
     * The analyst's questions answered in the spreadsheet: a Findings tab says which check failed and by how much,
     * links each finding to its first rejected row in the source sheet and names a likely typo; each flagged key's
     * Discrepancy Report row says why in a few words and links to its findings; notes on findings follow them.
     */
    @Test
    void flaggedKeys_haveAReasonAndALinkToTheirFindings_andFindingsKeepTheirNotes() throws Exception {
        SheetsEmulator.Spreadsheet s = emptyReport("findings");
        String purchase = "2024-03-01,Bola Adeyemi,INV-1,200,410\n2024-03-01,Dayo Bello,INV-512,50,100\n"
                + "2024-03-02,Ada Obi,INV-7,10,20\n2024-03-02,Ada Obi,INV-8,10,\"12,5\"\n";
        String inventory = "2024-03-01,Bola Adeyemi,195,380\n2024-03-01,Dayo Belo,50,99\n2024-03-02,Ada Obi,20,32\n";
        publisher(SheetsWriteBack.CELL_LIMIT).publish("findings", run(purchase, inventory), false);
        assertThat(s.sheets())
                .extracting(SheetsEmulator.Sheet::title)
                .containsExactly(
                        SheetsWriteBack.DISCREPANCY_TAB,
                        SheetsWriteBack.FINDINGS_TAB,
                        SheetsWriteBack.INVOICES_TAB,
                        SheetsWriteBack.OFFICER_TAB,
                        SheetsWriteBack.REJECTED_TAB,
                        "Notes of my own");
        SheetsEmulator.Sheet f = s.sheet(SheetsWriteBack.FINDINGS_TAB);
        assertThat(f.frozenRowCount()).isEqualTo(1);
        assertThat(f.values().get(0))
                .containsExactly(
                        "date",
                        "officer",
                        "status",
                        "check",
                        "purchase",
                        "inventory",
                        "difference",
                        "allowed",
                        "excess",
                        "rejected_rows",
                        "rejected_at",
                        "possible_match",
                        "first_rejected_row",
                        SheetsWriteBack.COMMENTS);
        int check = f.column(0, "check");
        int source = f.column(0, "first_rejected_row");
        int adaChicken = -1;
        for (int r = 1; r < f.rowCount(); r++) {
            if (f.cell(r, 1).equals("Ada Obi") && f.cell(r, check).equals("CHICKEN")) {
                adaChicken = r;
            }
        }
        assertThat(adaChicken).isPositive();
        assertThat(f.cell(adaChicken, f.column(0, "excess"))).isEqualTo("11.5");
        assertThat(f.cell(adaChicken, source)).isEqualTo("open purchase row 5");
        assertThat(f.link(adaChicken, source))
                .isEqualTo("https://docs.google.com/spreadsheets/d/source-sheet/edit#gid=77&range=A5");

        SheetsEmulator.Sheet d = s.sheet(SheetsWriteBack.DISCREPANCY_TAB);
        int reason = d.column(1, "reason");
        int link = d.column(1, "findings");
        assertThat(reason).isLessThan(d.column(1, SheetsWriteBack.COMMENTS));
        int dayo = d.rowOf("2024-03-01", "Dayo Bello");
        assertThat(d.cell(dayo, reason)).isEqualTo("no inventory rows; possible match: Dayo Belo");
        int bola = d.rowOf("2024-03-01", "Bola Adeyemi");
        assertThat(d.cell(bola, reason))
                .isEqualTo("birds differ by 5; chicken differs by 30.000 kg, 21.800 over the 8.200 allowed");
        assertThat(d.cell(d.rowOf("2024-03-02", "Ada Obi"), reason)).endsWith("; 1 rejected row on this key");
        assertThat(d.cell(dayo, link)).isEqualTo("see findings");
        int dayoFinding = -1;
        for (int r = 1; r < f.rowCount(); r++) {
            if (f.cell(r, 1).equals("Dayo Bello")) {
                dayoFinding = r;
            }
        }
        assertThat(d.link(dayo, link))
                .isEqualTo("https://docs.google.com/spreadsheets/d/findings/edit#gid=" + f.sheetIdForTests()
                        + "&range=A" + (dayoFinding + 1));
        assertThat(d.cell(d.rowOf("2024-03-02", "Ada Obi"), link)).isEqualTo("see findings");

        // The Invoices tab: the flagged keys' invoices (this inventory tracker has no INVOICE NUMBER column, so its
        // rows
        // are each key's UNMATCHED row), and not Ada's INV-8, whose row was rejected.
        SheetsEmulator.Sheet inv = s.sheet(SheetsWriteBack.INVOICES_TAB);
        assertThat(inv.values().get(0)).startsWith("date", "officer", "invoice").endsWith(SheetsWriteBack.COMMENTS);
        int status = inv.column(0, "status");
        List<String> rows = new ArrayList<>();
        for (int r = 1; r < inv.rowCount(); r++) {
            rows.add(inv.cell(r, 1) + " " + inv.cell(r, 2) + " " + inv.cell(r, status));
        }
        assertThat(rows)
                .containsExactly(
                        "Bola Adeyemi INV-1 NOT_RECEIVED",
                        "Bola Adeyemi  UNMATCHED",
                        "Dayo Bello INV-512 NOT_RECEIVED",
                        "Dayo Belo  UNMATCHED",
                        "Ada Obi INV-7 NOT_RECEIVED",
                        "Ada Obi  UNMATCHED");

        // A note on a finding follows it to the next run, whose findings come in another order.
        int comments = f.column(0, SheetsWriteBack.COMMENTS);
        sheets.type("findings", SheetsWriteBack.FINDINGS_TAB, adaChicken, comments, "weighed twice, ask the store");
        String purchase2 = purchase + "2024-03-03,Cy Umeh,INV-9,10,500\n";
        publisher(SheetsWriteBack.CELL_LIMIT).publish("findings", run(purchase2, inventory), false);
        f = s.sheet(SheetsWriteBack.FINDINGS_TAB);
        assertThat(f.cell(1, 1))
                .as("the largest chicken difference comes first")
                .isEqualTo("Cy Umeh");
        boolean kept = false;
        for (int r = 1; r < f.rowCount(); r++) {
            kept |= f.cell(r, 1).equals("Ada Obi")
                    && f.cell(r, check).equals("CHICKEN")
                    && f.cell(r, comments).equals("weighed twice, ask the store");
        }
        assertThat(kept).isTrue();
    }

    @Test
    void notes_surviveRerunsResortingNewKeysVanishedKeysAndTypedRows() throws Exception {
        SheetsEmulator.Spreadsheet s = emptyReport("notes");
        String purchase =
                "2024-01-01,Ada Obi,I1,10,100\n2024-01-02,Bola Eze,I2,10,100\n2024-01-03,Chidi Okafor,I3,10,100\n";
        String inventory = "2024-01-01,Ada Obi,10,100\n2024-01-02,Bola Eze,9,100\n2024-01-03,Chidi Okafor,10,90\n";
        publisher(SheetsWriteBack.CELL_LIMIT).publish("notes", run(purchase, inventory), false);
        SheetsEmulator.Sheet d = s.sheet(SheetsWriteBack.DISCREPANCY_TAB);
        int comments = d.column(1, SheetsWriteBack.COMMENTS);
        int resolution = d.column(1, SheetsWriteBack.RESOLUTION);
        // Analysts note two keys, sort the tab backwards, and type a row of their own.
        sheets.type(
                "notes", SheetsWriteBack.DISCREPANCY_TAB, d.rowOf("2024-01-02", "Bola Eze"), comments, "one bird died");
        sheets.type(
                "notes", SheetsWriteBack.DISCREPANCY_TAB, d.rowOf("2024-01-02", "Bola Eze"), resolution, "RESOLVED");
        sheets.type(
                "notes", SheetsWriteBack.DISCREPANCY_TAB, d.rowOf("2024-01-03", "Chidi Okafor"), comments, "ask Chidi");
        sheets.reorder(
                "notes", SheetsWriteBack.DISCREPANCY_TAB, 2, Collections.reverseOrder((a, b) -> String.join(",", a)
                        .compareTo(String.join(",", b))));
        sheets.type("notes", SheetsWriteBack.DISCREPANCY_TAB, 5, comments, "call the store about January");

        // The next run: Chidi's key is gone, a new key arrives, Bola's numbers change.
        String purchase2 =
                "2024-01-01,Ada Obi,I1,10,100\n2024-01-02,Bola Eze,I2,10,100\n2024-01-04,Dayo Bello,I4,5,50\n";
        String inventory2 = "2024-01-01,Ada Obi,10,100\n2024-01-02,Bola Eze,8,100\n2024-01-04,Dayo Bello,5,50\n";
        SheetsWriteBack.Plan plan =
                publisher(SheetsWriteBack.CELL_LIMIT).publish("notes", run(purchase2, inventory2), false);
        d = s.sheet(SheetsWriteBack.DISCREPANCY_TAB);
        int bola = d.rowOf("2024-01-02", "Bola Eze");
        assertThat(d.cell(bola, comments)).isEqualTo("one bird died");
        assertThat(d.cell(bola, resolution)).isEqualTo("RESOLVED");
        assertThat(d.cell(bola, 4)).as("bird_diff updated").isEqualTo("2");
        int chidi = d.rowOf("2024-01-03", "Chidi Okafor");
        assertThat(chidi).as("a vanished key with a note keeps its row").isPositive();
        assertThat(d.cell(chidi, comments)).isEqualTo("ask Chidi");
        assertThat(d.cell(chidi, 13)).isEqualTo(SheetsWriteBack.NO_LONGER_PRESENT);
        assertThat(d.rowOf("2024-01-04", "Dayo Bello")).isPositive();
        boolean typed = false;
        for (int r = 2; r < d.rowCount(); r++) {
            typed |= d.cell(r, comments).equals("call the store about January");
        }
        assertThat(typed).as("a row the analyst typed is kept").isTrue();
        assertThat(plan.notesKept()).isEqualTo(3);
        assertThat(plan.notesOnVanishedKeys()).isEqualTo(1);
        assertThat(plan.added()).isEqualTo(1);
        assertThat(plan.removed()).isEqualTo(1);
        assertThat(plan.changed()).isEqualTo(1);
    }

    @Test
    void aFailureInTheMiddleOfAWrite_leavesTheOldTabAndItsNotes_andTheNextPublishSucceeds() throws Exception {
        SheetsEmulator.Spreadsheet s = emptyReport("fail");
        String purchase =
                "2024-01-01,Ada Obi,I1,10,100\n2024-01-02,Bola Eze,I2,10,100\n2024-01-03,Chidi Okafor,I3,10,100\n";
        String inventory = "2024-01-01,Ada Obi,10,100\n";
        publisher(SheetsWriteBack.CELL_LIMIT).publish("fail", run(purchase, inventory), false);
        SheetsEmulator.Sheet d = s.sheet(SheetsWriteBack.DISCREPANCY_TAB);
        int comments = d.column(1, SheetsWriteBack.COMMENTS);
        sheets.type("fail", SheetsWriteBack.DISCREPANCY_TAB, d.rowOf("2024-01-02", "Bola Eze"), comments, "precious");
        List<List<String>> before = s.sheet(SheetsWriteBack.DISCREPANCY_TAB).values();

        // The lock, the reads, the new tabs and the first value writes go through; then Sheets fails for good.
        List<SheetsEmulator.Fault> faults =
                new ArrayList<>(Collections.nCopies(9, new SheetsEmulator.Slow(Duration.ZERO)));
        faults.add(new SheetsEmulator.Status(500));
        faults.add(new SheetsEmulator.Status(500));
        sheets.script(faults.toArray(SheetsEmulator.Fault[]::new));
        try {
            assertThatThrownBy(() ->
                            publisher(SheetsWriteBack.CELL_LIMIT).publish("fail", run(purchase, inventory), false))
                    .isInstanceOf(SheetsException.class)
                    .hasMessageContaining("gave up after 2 attempts");
        } finally {
            sheets.clearFaults();
        }
        assertThat(s.sheet(SheetsWriteBack.DISCREPANCY_TAB).values()).isEqualTo(before);
        assertThat(s.sheets())
                .extracting(SheetsEmulator.Sheet::title)
                .contains(SheetsWriteBack.DISCREPANCY_TAB + " (updating)");

        publisher(SheetsWriteBack.CELL_LIMIT).publish("fail", run(purchase, inventory), false);
        d = s.sheet(SheetsWriteBack.DISCREPANCY_TAB);
        assertThat(d.cell(d.rowOf("2024-01-02", "Bola Eze"), comments)).isEqualTo("precious");
        assertThat(s.sheets()).extracting(SheetsEmulator.Sheet::title).noneMatch(t -> t.endsWith("(updating)"));
    }

    @Test
    void dryRun_changesNothing_andSaysWhatWouldChange() throws Exception {
        SheetsEmulator.Spreadsheet s = emptyReport("dry");
        publisher(SheetsWriteBack.CELL_LIMIT).publish("dry", run("2024-01-01,Ada Obi,I1,10,100\n", ""), false);
        List<List<String>> before = s.sheet(SheetsWriteBack.DISCREPANCY_TAB).values();
        int writes = sheets.calls("batchUpdate") + sheets.calls("valuesBatchUpdate");
        SheetsWriteBack.Plan plan = publisher(SheetsWriteBack.CELL_LIMIT)
                .publish(
                        "dry",
                        run(
                                "2024-01-01,Ada Obi,I1,10,100\n2024-01-05,Emeka Eze,I9,1,1\n",
                                "2024-01-01,Ada Obi,10,100\n"),
                        true);
        assertThat(sheets.calls("batchUpdate") + sheets.calls("valuesBatchUpdate"))
                .isEqualTo(writes);
        assertThat(s.sheet(SheetsWriteBack.DISCREPANCY_TAB).values()).isEqualTo(before);
        assertThat(plan.written()).isFalse();
        assertThat(plan.added()).isEqualTo(1);
        assertThat(plan.changed()).isEqualTo(1);
        assertThat(plan.describe()).contains("1 added").contains("1 changed");
    }

    @Test
    void aReportThatWouldNotFit_keepsTheKeysThatAreNotOk_andSaysWhereTheFullReportIs() throws Exception {
        SheetsEmulator.Spreadsheet s = emptyReport("big");
        StringBuilder p = new StringBuilder();
        StringBuilder i = new StringBuilder();
        for (int d = 1; d <= 28; d++) {
            p.append(String.format("2024-02-%02d,Ada Obi,I%d,10,100\n", d, d));
            i.append(String.format("2024-02-%02d,Ada Obi,%d,100\n", d, d == 3 ? 9 : 10));
        }
        RunReports r = run(p.toString(), i.toString());
        sheets.cellLimit(500);
        try {
            SheetsWriteBack.Plan plan = publisher(500).publish("big", r, false);
            assertThat(plan.truncated()).isTrue();
            SheetsEmulator.Sheet d = s.sheet(SheetsWriteBack.DISCREPANCY_TAB);
            assertThat(d.cell(0, 0))
                    .contains("showing only the keys that are not OK")
                    .contains(r.location());
            assertThat(d.values()).hasSize(3);
            assertThat(d.cell(2, 13)).isEqualTo("DISCREPANCY");
        } finally {
            sheets.cellLimit(10_000_000);
        }
    }
}
