package io.tally.cli.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.CreateDeveloperMetadataRequest;
import com.google.api.services.sheets.v4.model.DeveloperMetadata;
import com.google.api.services.sheets.v4.model.DeveloperMetadataLocation;
import com.google.api.services.sheets.v4.model.GridProperties;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.UpdateSheetPropertiesRequest;
import com.google.api.services.sheets.v4.model.ValueRange;
import io.tally.cli.TallyCli;
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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report spreadsheet never loses an analyst's work: against the documented limits of the API, while people
 * type, and with publishes racing. One test per way it used to break.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SheetsTrustIT {
    private static final String P =
            "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n";
    private static final String I = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n";
    private static final String D = SheetsWriteBack.DISCREPANCY_TAB;

    @TempDir
    static Path tmp;

    private SheetsEmulator sheets;
    private SheetsClient client;
    private Path key;
    private final AtomicInteger runs = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        sheets = SheetsEmulator.start();
        key = ServiceAccountKey.write(Files.createDirectories(tmp.resolve("key")), sheets.tokenUri());
        try (InputStream in = Files.newInputStream(key)) {
            RequestPacer pacer = new RequestPacer(10_000, Duration.ofSeconds(1), RequestPacer.Clock.SYSTEM);
            client = new SheetsClient(
                    SheetsClient.client(sheets.root(), in, Duration.ofSeconds(5)),
                    ServiceAccountKey.EMAIL,
                    new SheetsClient.Policy(
                            pacer,
                            pacer,
                            new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(20)),
                            new SplittableRandom(2),
                            RequestPacer.Clock.SYSTEM),
                    (e, f) -> {});
        }
    }

    @AfterAll
    void stop() {
        sheets.close();
    }

    @AfterEach
    void reset() {
        sheets.writeDelay(Duration.ZERO);
        sheets.maxRequestBytes(SheetsEmulator.MAX_REQUEST_BYTES);
        sheets.clearFaults();
        events.clear();
    }

    private Path runDir(String purchase, String inventory) throws Exception {
        return runDir(P, purchase, inventory);
    }

    private Path runDir(String purchaseHeader, String purchase, String inventory) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run-" + runs.incrementAndGet()));
        Path p = Files.writeString(dir.resolve("p.csv"), purchaseHeader + purchase);
        Path i = Files.writeString(dir.resolve("i.csv"), I + inventory);
        LocalRun.run(
                p,
                i,
                dir.resolve("out"),
                new LocalRun.Options(Tolerances.DEFAULT, DateOrder.DAY_FIRST, 1, 0),
                Engine.Progress.NONE);
        return dir.resolve("out");
    }

    private RunReports run(String purchase, String inventory) throws Exception {
        return RunReports.folder(runDir(purchase, inventory), Map.of());
    }

    private SheetsWriteBack publisher() {
        return publisher(SheetsWriteBack.Settings.defaults());
    }

    private SheetsWriteBack publisher(SheetsWriteBack.Settings settings) {
        return new SheetsWriteBack(
                client,
                settings.withLock(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofMillis(100)),
                (e, f) -> events.add(e + " " + f));
    }

    private SheetsEmulator.Spreadsheet report(String id) {
        return sheets.addSheet(id, "Sheet1", List.of(List.of("our own")), 10, 3);
    }

    private static final String PURCHASE = "2024-01-01,Ada Obi,I1,10,100\n2024-01-02,Bola Eze,I2,10,100\n"
            + "2024-01-03,Chidi Okafor,I3,10,100\n2024-01-04,Dayo Bello,I4,10,100\n2024-01-05,Emeka Eze,I5,10,100\n";
    private static final String INVENTORY = "2024-01-01,Ada Obi,10,100\n2024-01-02,Bola Eze,9,100\n"
            + "2024-01-03,Chidi Okafor,10,90\n2024-01-04,Dayo Bello,10,100\n2024-01-05,Emeka Eze,8,100\n";

    // ---- 1. the emulator refuses what Sheets refuses; a clean run publishes --------------------------------

    @Test
    void theEmulator_refusesWhatSheetsRefuses() {
        SheetsEmulator.Spreadsheet s = report("refusals");
        int id = s.sheet("Sheet1").sheetIdForTests();
        assertThatThrownBy(() -> client.update(
                        "refusals",
                        "Sheet1",
                        List.of(new Request()
                                .setUpdateSheetProperties(new UpdateSheetPropertiesRequest()
                                        .setProperties(new SheetProperties()
                                                .setSheetId(id)
                                                .setGridProperties(new GridProperties().setFrozenRowCount(10)))
                                        .setFields("gridProperties.frozenRowCount")))))
                .isInstanceOf(SheetsException.class)
                .hasMessageContaining("You can't freeze all visible rows");
        assertThatThrownBy(() -> client.writeValues(
                        "refusals",
                        "Sheet1",
                        List.of(new ValueRange()
                                .setRange("Sheet1!A1")
                                .setValues(List.of(List.of("x".repeat(50_001)))))))
                .isInstanceOf(SheetsException.class)
                .hasMessageContaining("maximum of 50000 characters");
        assertThatThrownBy(() -> client.update(
                        "refusals",
                        "Sheet1",
                        List.of(new Request()
                                .setAddSheet(new AddSheetRequest()
                                        .setProperties(new SheetProperties().setTitle("Sheet1"))))))
                .isInstanceOf(SheetsException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> client.writeValues(
                        "refusals",
                        "Sheet1",
                        List.of(new ValueRange()
                                .setRange("Sheet1!A1")
                                .setValues(Collections.nCopies(50, List.<Object>of("y".repeat(45_000)))))))
                .isInstanceOf(SheetsException.class)
                .hasMessageContaining("payload size exceeds");
        assertThat(s.sheet("Sheet1").cell(0, 0)).isEqualTo("our own");
    }

    @Test
    void aCleanRun_publishes_andNoTabHasEveryRowFrozen() throws Exception {
        SheetsEmulator.Spreadsheet s = report("clean");
        SheetsWriteBack.Plan plan = publisher()
                .publish("clean", run("2024-01-01,Ada Obi,I1,10,100\n", "2024-01-01,Ada Obi,10,100\n"), false);
        assertThat(plan.written()).isTrue();
        SheetsEmulator.Sheet rejected = s.sheet(SheetsWriteBack.REJECTED_TAB);
        assertThat(rejected.rowCount()).isGreaterThan(rejected.frozenRowCount());
        assertThat(rejected.values()).hasSize(1);
        for (SheetsEmulator.Sheet t : s.sheets()) {
            assertThat(t.frozenRowCount()).as(t.title()).isLessThan(Math.max(1, t.rowCount()));
        }
        // No key and no officer at all publishes too.
        assertThat(publisher().publish("clean", run("", ""), false).written()).isTrue();
        assertThat(s.sheet(D).rowCount()).isGreaterThan(s.sheet(D).frozenRowCount());
    }

    // ---- 2. a cell over 50,000 characters; requests cut by bytes -------------------------------------------

    @Test
    void aRejectedRowOver50000Characters_isCutWithAMarker_andEveryRequestStaysUnderTheSizeLimit() throws Exception {
        SheetsEmulator.Spreadsheet s = report("long");
        String header = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT,NOTES\n";
        String rows = "2024-01-01,Ada Obi,I1,10,100,ok\n2024-01-02,Bola Eze," + "x".repeat(30_000) + ",ten,100,"
                + "y".repeat(30_000) + "\n";
        Path out = runDir(header, rows, "2024-01-01,Ada Obi,10,100\n");
        assertThat(Files.readString(out.resolve("rejected_rows.csv")).length()).isGreaterThan(60_000);
        SheetsWriteBack.Plan plan = publisher().publish("long", RunReports.folder(out, Map.of()), false);
        assertThat(plan.cutCells()).isEqualTo(1);
        SheetsEmulator.Sheet rejected = s.sheet(SheetsWriteBack.REJECTED_TAB);
        String raw = rejected.cell(1, rejected.column(0, "raw"));
        assertThat(raw)
                .hasSizeLessThanOrEqualTo(50_000)
                .startsWith("2024-01-02|Bola Eze|xxx")
                .contains("[cut: ")
                .contains(out.toRealPath() + "/rejected_rows.csv");

        // Many rows, a small request limit: every request stays under it, and all rows land.
        StringBuilder p = new StringBuilder();
        StringBuilder i = new StringBuilder();
        for (int d = 1; d <= 28; d++) {
            for (int o = 0; o < 20; o++) {
                p.append(String.format("2024-02-%02d,Officer %02d,I%d-%d,10,100\n", d, o, d, o));
                i.append(String.format("2024-02-%02d,Officer %02d,10,100\n", d, o));
            }
        }
        sheets.maxRequestBytes(40_000);
        int before = sheets.writeBytes().size();
        publisher(new SheetsWriteBack.Settings(
                        SheetsWriteBack.CELL_LIMIT,
                        100_000,
                        30_000,
                        SheetsWriteBack.Settings.defaults().lock(),
                        new SplittableRandom(3)))
                .publish("long", run(p.toString(), i.toString()), false);
        List<Integer> sizes =
                sheets.writeBytes().subList(before, sheets.writeBytes().size());
        assertThat(sizes).allMatch(b -> b <= 40_000);
        assertThat(sizes.size()).isGreaterThan(3);
        assertThat(s.sheet(D).values()).hasSize(2 + 560);
    }

    // ---- 3. notes typed during a publish --------------------------------------------------------------------

    @Test
    void notesTypedWhileASlowPublishRuns_areAllOnTheirKeysAfterwards() throws Exception {
        SheetsEmulator.Spreadsheet s = report("typing");
        publisher().publish("typing", run(PURCHASE, INVENTORY), false);
        int comments = s.sheet(D).column(1, SheetsWriteBack.COMMENTS);
        List<String> officers = List.of("Ada Obi", "Bola Eze", "Chidi Okafor", "Dayo Bello", "Emeka Eze");
        Map<String, String> accepted = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger typed = new AtomicInteger();
        AtomicBoolean sawHiddenWorkingTab = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        sheets.writeDelay(Duration.ofMillis(150));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> analyst = pool.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    for (int k = 0; k < officers.size(); k++) {
                        String officer = officers.get(k);
                        // The first officer's notes come from the owner, who may type even where it is protected.
                        String user = k == 0 ? SheetsEmulator.OWNER : SheetsEmulator.ANALYST;
                        String note = officer + " note " + n;
                        try {
                            if (sheets.typeWhere(
                                    "typing", D, r -> r.size() > 1 && r.get(1).equals(officer), comments, note, user)) {
                                accepted.put(officer, note);
                                typed.incrementAndGet();
                            }
                        } catch (SheetsEmulator.ProtectedCellException e) {
                            refused.incrementAndGet();
                        }
                    }
                    for (SheetsEmulator.Sheet t : s.sheets()) {
                        if (t.title().endsWith("(updating)") && t.hidden()) {
                            sawHiddenWorkingTab.set(true);
                        }
                        assertThat(t.title().endsWith("(updating)") && !t.hidden())
                                .as("a working tab is visible")
                                .isFalse();
                    }
                    sleep(40);
                }
                return null;
            });
            SheetsWriteBack.Plan plan =
                    publisher().publish("typing", run(PURCHASE + "2024-01-06,Femi Ade,I6,3,30\n", INVENTORY), false);
            stop.set(true);
            analyst.get();
            assertThat(plan.protectedFor()).isPositive();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        SheetsEmulator.Sheet d = s.sheet(D);
        for (String officer : officers) {
            int row = -1;
            for (int r = 2; r < d.rowCount(); r++) {
                if (d.cell(r, 1).equals(officer)) {
                    row = r;
                }
            }
            assertThat(d.cell(row, comments)).as(officer).isEqualTo(accepted.get(officer));
        }
        assertThat(typed.get()).isGreaterThan(20);
        assertThat(sawHiddenWorkingTab).isTrue();
        assertThat(s.sheets())
                .extracting(SheetsEmulator.Sheet::title)
                .noneMatch(t -> t.contains("(previous)") || t.contains("(updating)") || t.contains("lock"));
        assertThat(d.protectedRanges()).isZero();
    }

    /** The Findings tab takes the same care: notes typed on findings while a slow publish runs all land on them. */
    @Test
    void notesTypedOnFindingsWhileASlowPublishRuns_areAllOnTheirFindingsAfterwards() throws Exception {
        SheetsEmulator.Spreadsheet s = report("typing-findings");
        publisher().publish("typing-findings", run(PURCHASE, INVENTORY), false);
        String f = SheetsWriteBack.FINDINGS_TAB;
        int comments = s.sheet(f).column(0, SheetsWriteBack.COMMENTS);
        List<String> flagged = List.of("Bola Eze", "Chidi Okafor", "Emeka Eze");
        Map<String, String> accepted = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        sheets.writeDelay(Duration.ofMillis(150));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> analyst = pool.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    for (String officer : flagged) {
                        String note = officer + " finding note " + n;
                        try {
                            if (sheets.typeWhere(
                                    "typing-findings",
                                    f,
                                    r -> r.size() > 1 && r.get(1).equals(officer),
                                    comments,
                                    note,
                                    SheetsEmulator.ANALYST)) {
                                accepted.put(officer, note);
                            }
                        } catch (SheetsEmulator.ProtectedCellException e) {
                            // refused while Tally copies the notes: the analyst types it again next round
                        }
                    }
                    sleep(40);
                }
                return null;
            });
            publisher().publish("typing-findings", run(PURCHASE + "2024-01-06,Femi Ade,I6,3,30\n", INVENTORY), false);
            stop.set(true);
            analyst.get();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        SheetsEmulator.Sheet findings = s.sheet(f);
        for (String officer : flagged) {
            int row = -1;
            for (int r = 1; r < findings.rowCount(); r++) {
                if (findings.cell(r, 1).equals(officer)) {
                    row = r;
                }
            }
            assertThat(row).as(officer).isPositive();
            assertThat(findings.cell(row, comments)).as(officer).isEqualTo(accepted.get(officer));
        }
        assertThat(findings.protectedRanges()).isZero();
    }

    // ---- 4. two publishes at once -----------------------------------------------------------------------------

    @Test
    void twoPublishesAtOnce_bothFinish_andTheNewerRunIsShownWithEveryNote() throws Exception {
        SheetsEmulator.Spreadsheet s = report("race");
        publisher().publish("race", run(PURCHASE, INVENTORY), false);
        int comments = s.sheet(D).column(1, SheetsWriteBack.COMMENTS);
        sheets.type("race", D, s.sheet(D).rowOf("2024-01-02", "Bola Eze"), comments, "keep me");
        RunReports older =
                run(PURCHASE, INVENTORY.replace("2024-01-04,Dayo Bello,10,100", "2024-01-04,Dayo Bello,7,100"));
        RunReports newer =
                run(PURCHASE, INVENTORY.replace("2024-01-04,Dayo Bello,10,100", "2024-01-04,Dayo Bello,6,100"));
        sheets.writeDelay(Duration.ofMillis(30));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SheetsWriteBack.Plan> a = pool.submit(() -> publisher().publish("race", older, false));
            Future<SheetsWriteBack.Plan> b = pool.submit(() -> publisher().publish("race", newer, false));
            SheetsWriteBack.Plan pa = a.get();
            SheetsWriteBack.Plan pb = b.get();
            assertThat(pa.written() || pb.written()).isTrue();
            assertThat(pa.waitedForLock().plus(pb.waitedForLock())).isPositive();
        } finally {
            pool.shutdownNow();
        }
        SheetsEmulator.Sheet d = s.sheet(D);
        assertThat(d.cell(0, 0)).contains("run " + newer.runId());
        assertThat(d.cell(d.rowOf("2024-01-04", "Dayo Bello"), 3)).isEqualTo("6");
        assertThat(d.cell(d.rowOf("2024-01-02", "Bola Eze"), comments)).isEqualTo("keep me");
        assertThat(s.sheets())
                .extracting(SheetsEmulator.Sheet::title)
                .filteredOn(t -> t.equals(D))
                .hasSize(1);
        assertThat(s.sheets()).extracting(SheetsEmulator.Sheet::title).noneMatch(t -> t.contains("("));
    }

    @Test
    void twoCliPublishesAtOnce_bothExitZero() throws Exception {
        SheetsEmulator.Spreadsheet s = report("cli-race");
        Path one = runDir(PURCHASE, INVENTORY);
        Path two = runDir(PURCHASE, INVENTORY.replace("2024-01-05,Emeka Eze,8,100", "2024-01-05,Emeka Eze,9,100"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<StringWriter> errs = List.of(new StringWriter(), new StringWriter());
        try {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                Path dir = k == 0 ? one : two;
                StringWriter err = errs.get(k);
                codes.add(pool.submit(() -> TallyCli.execute(
                        new String[] {
                            "sheets",
                            "publish",
                            "--run",
                            dir.toString(),
                            "--report",
                            "cli-race",
                            "--credentials",
                            key.toString(),
                            "--endpoint",
                            sheets.root().toString()
                        },
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true))));
            }
            assertThat(codes.get(0).get()).as(errs.get(0).toString()).isZero();
            assertThat(codes.get(1).get()).as(errs.get(1).toString()).isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.sheet(D).cell(0, 0))
                .contains("run " + RunReports.folder(two, Map.of()).runId());
        assertThat(s.sheets()).extracting(SheetsEmulator.Sheet::title).noneMatch(t -> t.contains("("));
    }

    @Test
    void aLockWhoseOwnerDied_isTakenOverAfterItsLease() throws Exception {
        SheetsEmulator.Spreadsheet s = report("stale");
        plantLock("stale", 4242, "a dead run", Instant.now().minusSeconds(1));
        assertThat(publisher().publish("stale", run(PURCHASE, INVENTORY), false).written())
                .isTrue();
        assertThat(events).anyMatch(e -> e.startsWith("sheets.lock-taken-over") && e.contains("a dead run"));
        assertThat(s.sheets()).extracting(SheetsEmulator.Sheet::title).doesNotContain("Tally publish lock");
    }

    @Test
    void aLiveLockHeldTooLong_makesThePublishWaitThenSayWhoHoldsIt() throws Exception {
        SheetsEmulator.Spreadsheet s = report("held");
        plantLock("held", 4343, "a busy run", Instant.now().plusSeconds(600));
        SheetsWriteBack impatient = new SheetsWriteBack(
                client,
                SheetsWriteBack.Settings.defaults()
                        .withLock(Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofMillis(100)),
                (e, f) -> events.add(e + " " + f));
        assertThatThrownBy(() -> impatient.publish("held", run(PURCHASE, INVENTORY), false))
                .isInstanceOf(SheetsWriteBack.Busy.class)
                .hasMessageContaining("a busy run");
        assertThat(events).anyMatch(e -> e.startsWith("sheets.publish-waiting"));
        assertThat(s.sheets()).extracting(SheetsEmulator.Sheet::title).containsExactly("Sheet1", "Tally publish lock");
    }

    // ---- 5. an older run never replaces a newer one; a lost answer is checked -----------------------------

    @Test
    void anOlderRun_changesNothing_andSaysSo() throws Exception {
        SheetsEmulator.Spreadsheet s = report("older");
        RunReports old = run(PURCHASE, INVENTORY);
        RunReports fresh = run(PURCHASE, INVENTORY.replace("9,100", "10,100"));
        publisher().publish("older", fresh, false);
        List<List<String>> shown = s.sheet(D).values();
        SheetsWriteBack.Plan plan = publisher().publish("older", old, false);
        assertThat(plan.written()).isFalse();
        assertThat(plan.skipped())
                .hasValueSatisfying(w -> assertThat(w).contains(fresh.runId()).contains("newer"));
        assertThat(plan.describe()).contains("nothing changed");
        assertThat(s.sheet(D).values()).isEqualTo(shown);
        // The same run again (a message delivered twice) changes nothing either.
        assertThat(publisher().publish("older", fresh, false).skipped()).hasValue("the tab already shows this run");
    }

    @Test
    void aSwapWhoseAnswerIsLost_isCheckedAndReportedAsPublished() throws Exception {
        SheetsEmulator.Spreadsheet s = report("lost");
        publisher().publish("lost", run(PURCHASE, INVENTORY), false);
        RunReports next = run(PURCHASE, INVENTORY.replace("8,100", "10,100"));
        sheets.loseAnswerTo("tally.run");
        SheetsWriteBack.Plan plan = publisher().publish("lost", next, false);
        assertThat(plan.written()).isTrue();
        assertThat(events).anyMatch(e -> e.startsWith("sheets.applied-after-all"));
        assertThat(s.sheet(D).cell(0, 0)).contains("run " + next.runId());
    }

    // ---- 6. analysts' habits -----------------------------------------------------------------------------------

    @Test
    void analystsHabits_renamedHeaders_copiedRows_officerNotes_formulas_keepEveryNote() throws Exception {
        SheetsEmulator.Spreadsheet s = report("habits");
        publisher().publish("habits", run(PURCHASE, INVENTORY), false);
        SheetsEmulator.Sheet d = s.sheet(D);
        int comments = d.column(1, SheetsWriteBack.COMMENTS);
        int resolution = d.column(1, SheetsWriteBack.RESOLUTION);
        sheets.type("habits", D, 1, comments, "Comments");
        sheets.type("habits", D, 1, resolution, "resolution status");
        int bola = d.rowOf("2024-01-02", "Bola Eze");
        sheets.type("habits", D, bola, comments, "=HYPERLINK(\"https://drive.example/bola\",\"the weighbridge slip\")");
        sheets.type("habits", D, bola, resolution, "INVESTIGATING");
        int chidi = d.rowOf("2024-01-03", "Chidi Okafor");
        sheets.type("habits", D, chidi, comments, "first note");
        sheets.copyRow("habits", D, chidi, d.rowCount());
        sheets.type("habits", D, d.rowCount() - 1, comments, "second note on a copied row");
        SheetsEmulator.Sheet o = s.sheet(SheetsWriteBack.OFFICER_TAB);
        int oc = o.column(0, SheetsWriteBack.COMMENTS);
        int emekaRow = -1;
        for (int r = 1; r < o.rowCount(); r++) {
            if (o.cell(r, 0).equals("Emeka Eze")) {
                emekaRow = r;
            }
        }
        sheets.type("habits", SheetsWriteBack.OFFICER_TAB, emekaRow, oc, "on leave in January");

        publisher().publish("habits", run(PURCHASE + "2024-01-06,Femi Ade,I6,3,30\n", INVENTORY), false);
        d = s.sheet(D);
        bola = d.rowOf("2024-01-02", "Bola Eze");
        assertThat(d.formula(bola, comments))
                .isEqualTo("=HYPERLINK(\"https://drive.example/bola\",\"the weighbridge slip\")");
        assertThat(d.cell(bola, comments)).isEqualTo("the weighbridge slip");
        assertThat(d.cell(bola, resolution)).isEqualTo("INVESTIGATING");
        List<String> chidiNotes = new ArrayList<>();
        for (int r = 2; r < d.rowCount(); r++) {
            if (d.cell(r, 1).equals("Chidi Okafor")) {
                chidiNotes.add(d.cell(r, comments) + "|" + d.cell(r, 13));
            }
        }
        assertThat(chidiNotes)
                .containsExactlyInAnyOrder(
                        "first note|DISCREPANCY", "second note on a copied row|" + SheetsWriteBack.DUPLICATE_ROW);
        o = s.sheet(SheetsWriteBack.OFFICER_TAB);
        boolean kept = false;
        for (int r = 1; r < o.rowCount(); r++) {
            kept |= o.cell(r, 0).equals("Emeka Eze") && o.cell(r, oc).equals("on leave in January");
        }
        assertThat(kept).as("a note on Officer Summary follows its officer").isTrue();
        // Tally's own cells stay text: a formula-like officer name is never run.
        assertThat(d.formula(d.rowOf("2024-01-01", "Ada Obi"), 1)).isNull();
    }

    @Test
    void aTabTallyCannotRead_isKeptRenamed_notDeleted() throws Exception {
        SheetsEmulator.Spreadsheet s = report("unreadable");
        publisher().publish("unreadable", run(PURCHASE, INVENTORY), false);
        sheets.type("unreadable", D, 1, 0, "Day");
        sheets.type("unreadable", D, 1, 1, "Who");
        sheets.type("unreadable", D, 3, 14, "a note Tally cannot place");
        publisher().publish("unreadable", run(PURCHASE, INVENTORY.replace("8,100", "7,100")), false);
        assertThat(s.sheets()).extracting(SheetsEmulator.Sheet::title).anyMatch(t -> t.startsWith(D + " (kept "));
        SheetsEmulator.Sheet kept = s.sheets().stream()
                .filter(t -> t.title().startsWith(D + " (kept "))
                .findFirst()
                .orElseThrow();
        assertThat(kept.cell(3, 14)).isEqualTo("a note Tally cannot place");
        assertThat(s.sheet(D).cell(1, 0)).isEqualTo("date");
    }

    /** A lock tab as another publish would have left it: held by {@code owner} until {@code expires}. */
    private void plantLock(String spreadsheetId, int sheetId, String owner, Instant expires) {
        client.update(
                spreadsheetId,
                "lock",
                List.of(
                        new Request()
                                .setAddSheet(new AddSheetRequest()
                                        .setProperties(new SheetProperties()
                                                .setSheetId(sheetId)
                                                .setTitle("Tally publish lock")
                                                .setHidden(true)
                                                .setGridProperties(new GridProperties()
                                                        .setRowCount(1)
                                                        .setColumnCount(1)))),
                        new Request()
                                .setCreateDeveloperMetadata(new CreateDeveloperMetadataRequest()
                                        .setDeveloperMetadata(new DeveloperMetadata()
                                                .setMetadataKey("tally.publish-lock")
                                                .setVisibility("PROJECT")
                                                .setMetadataValue(
                                                        "{\"owner\":\"" + owner + "\",\"expires\":\"" + expires + "\"}")
                                                .setLocation(new DeveloperMetadataLocation().setSheetId(sheetId))))));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
