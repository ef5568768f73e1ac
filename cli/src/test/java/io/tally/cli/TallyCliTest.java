package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TallyCliTest {
    private static final String P_HEADER =
            "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n";
    private static final String I_HEADER = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n";

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void reconcile_writesTheReports_printsTheSummary_andExitsZero() throws IOException {
        Path p = write("p.csv", P_HEADER + "2024-01-01,Ada Obi,I1,10,20\n2024-01-02,Ada Obi,I2,10,20\n");
        Path i = write("i.csv", I_HEADER + "2024-01-01,ada obi,10,19.8\n");
        int code = run(
                "reconcile",
                "--purchase",
                p.toString(),
                "--inventory",
                i.toString(),
                "--out",
                tmp.resolve("r").toString());
        assertThat(code).isZero();
        try (Stream<Path> files = Files.list(tmp.resolve("r"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ReportWriter.FILES);
        }
        String summaryMd = Files.readString(tmp.resolve("r").resolve(ReportWriter.SUMMARY_MD));
        assertThat(out.toString())
                .startsWith("Tally run ")
                .contains("\n\n" + summaryMd + "\nreports in "
                        + tmp.resolve("r").toAbsolutePath() + ": " + String.join(", ", ReportWriter.FILES) + "\n");
        assertThat(summaryMd)
                .contains("- Dates: 2024-01-01 to 2024-01-02\n")
                .contains("- OK: 1\n- DISCREPANCY: 0\n- MISSING_INVENTORY: 1\n- MISSING_PURCHASE: 0\n")
                .contains("1. Ada Obi: 20.200 kg over 2 day(s)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void reconcile_printsEachWarningOnStderr_andStillExitsZero() throws IOException {
        Path p = write("p.csv", P_HEADER + "2024-01-01,Ada Obi,I1,10,20\n01/13/2024,Ada Obi,I2,10,20\n");
        Path i = write("i.csv", I_HEADER);
        int code = run(
                "reconcile",
                "--purchase",
                p.toString(),
                "--inventory",
                i.toString(),
                "--out",
                tmp.resolve("r").toString());
        assertThat(code).isZero();
        assertThat(err.toString())
                .isEqualTo("tally: warning: i.csv (the inventory tracker) has its header on row 1 but no data row below"
                        + " it, so every key is MISSING_INVENTORY: check that the right sheet (tab) was exported\n"
                        + "tally: warning: p.csv: 1 row(s) were rejected for a date that is not valid day-first but"
                        + " reads month-first (the first: row 3, 01/13/2024), so the purchase tracker may write its"
                        + " dates month-first, and its other d/M/yyyy dates were read day-first: if so, run again with"
                        + " --date-order month-first (TALLY_DATE_ORDER=month-first on AWS)\n");
        assertThat(out.toString()).contains("## Warnings\n\n- i.csv (the inventory tracker) has its header");
        assertThat(Files.readString(tmp.resolve("r").resolve(ReportWriter.SUMMARY)))
                .contains("\"code\" : \"NO_DATA_ROWS\"")
                .contains("\"code\" : \"DATES_MONTH_FIRST\"");
    }

    @Test
    void reconcile_failOnDiscrepancy_exitsOne_onlyWhenAKeyIsNotOk() throws IOException {
        Path p = write("p.csv", P_HEADER + "2024-01-01,Ada,I1,10,20\n");
        Path ok = write("ok.csv", I_HEADER + "2024-01-01,Ada,10,20\n");
        Path short1 = write("short.csv", I_HEADER + "2024-01-01,Ada,9,20\n");
        Path r = tmp.resolve("r");
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        ok.toString(),
                        "--out",
                        r.toString(),
                        "--fail-on-discrepancy"))
                .isZero();
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        short1.toString(),
                        "--out",
                        r.toString(),
                        "--fail-on-discrepancy"))
                .isEqualTo(TallyCli.DISCREPANCIES);
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        short1.toString(),
                        "--out",
                        r.toString()))
                .isZero();
    }

    @Test
    void reconcile_toleranceOptions_changeTheVerdict() throws IOException {
        Path p = write("p.csv", P_HEADER + "2024-01-01,Ada,I1,10,100\n");
        Path i = write("i.csv", I_HEADER + "2024-01-01,Ada,10,97\n");
        Path r = tmp.resolve("r");
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r.toString(),
                        "--fail-on-discrepancy"))
                .isEqualTo(1);
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r.toString(),
                        "--fail-on-discrepancy",
                        "--tolerance-pct",
                        "3"))
                .isZero();
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r.toString(),
                        "--fail-on-discrepancy",
                        "--tolerance-kg",
                        "3.0"))
                .isZero();
    }

    @Test
    void reconcile_dateOrder_readsSlashDatesMonthFirst() throws IOException {
        Path p = write("p.csv", P_HEADER + "3/5/2024,Ada,I1,10,100\n");
        Path i = write("i.csv", I_HEADER + "2024-03-05,Ada,10,100\n");
        Path r = tmp.resolve("r");
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r.toString(),
                        "--fail-on-discrepancy",
                        "--date-order",
                        "month-first"))
                .isZero();
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r.toString(),
                        "--fail-on-discrepancy",
                        "--date-order",
                        "day-first"))
                .isEqualTo(1);
    }

    @Test
    void reconcile_badUsage_exitsTwo_withOneLine() throws IOException {
        Path p = write("p.csv", P_HEADER);
        Path i = write("i.csv", I_HEADER);
        String r = tmp.resolve("r").toString();
        List<List<String>> bad = List.of(
                List.of("reconcile", "--inventory", i.toString(), "--out", r),
                List.of(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r,
                        "--tolerance-kg",
                        "-1"),
                List.of(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r,
                        "--tolerance-pct",
                        "x"),
                List.of(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r,
                        "--date-order",
                        "ymd"),
                List.of(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r,
                        "--threads",
                        "0"),
                List.of(
                        "reconcile",
                        "--purchase",
                        tmp.resolve("nope.csv").toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        r),
                List.of("reconcile", "--purchase", tmp.toString(), "--inventory", i.toString(), "--out", r),
                List.of("frobnicate"),
                List.of());
        for (List<String> args : bad) {
            StringWriter e = new StringWriter();
            int code = TallyCli.execute(
                    args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(e));
            assertThat(code).as("%s", args).isEqualTo(TallyCli.USAGE);
            assertThat(e.toString().lines()).as("%s", args).hasSize(1).allMatch(l -> l.startsWith("tally: "));
        }
        assertThat(Files.exists(tmp.resolve("r"))).isFalse();
    }

    @Test
    void reconcile_missingFile_namesIt() throws IOException {
        Path i = write("i.csv", I_HEADER);
        run("reconcile", "--purchase", tmp.resolve("nope.csv").toString(), "--inventory", i.toString(), "--out", "x");
        assertThat(err.toString()).contains("cannot read the purchase tracker").contains("nope.csv: no such file");
    }

    @Test
    void local_aDirectoryForATracker_saysItIsADirectory_beforeStartingAnything() throws IOException {
        Path i = write("i.csv", I_HEADER);
        Path dir = Files.createDirectories(tmp.resolve("a-folder"));
        assertThat(run(
                        "local",
                        "--purchase",
                        dir.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        tmp.resolve("lo").toString()))
                .isEqualTo(TallyCli.USAGE);
        assertThat(err.toString().strip())
                .isEqualTo("tally: cannot read the purchase tracker " + dir + ": it is a directory, not a file");
    }

    @Test
    void reconcile_unreadableInput_exitsTwo_namingFileAndRow_andWritesNothing() throws IOException {
        Path p = write("p.csv", P_HEADER + "2024-01-01,\"Ada,I1,10,20\n");
        Path i = write("i.csv", I_HEADER);
        Path r = tmp.resolve("r");
        assertThat(run("reconcile", "--purchase", p.toString(), "--inventory", i.toString(), "--out", r.toString()))
                .isEqualTo(TallyCli.USAGE);
        assertThat(err.toString())
                .isEqualTo("tally: p.csv row 2: a quoted field opens on this row and is never closed\n");
        assertThat(r).doesNotExist();

        StringWriter e = new StringWriter();
        Path noHeader = write("nh.csv", "just,some,cells\n");
        TallyCli.execute(
                new String[] {
                    "reconcile", "--purchase", p.toString(), "--inventory", noHeader.toString(), "--out", r.toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(e));
        // Headers are found before any data row is read, so a missing header is reported first.
        assertThat(e.toString()).startsWith("tally: nh.csv: no header row within the first 10 rows");
    }

    @Test
    void reconcile_failedRun_leavesThePreviousReportsUntouched() throws IOException {
        Path p = write("p.csv", P_HEADER + "2024-01-01,Ada,I1,10,20\n");
        Path i = write("i.csv", I_HEADER + "2024-01-01,Ada,10,20\n");
        Path r = tmp.resolve("r");
        assertThat(run("reconcile", "--purchase", p.toString(), "--inventory", i.toString(), "--out", r.toString()))
                .isZero();
        String before = Files.readString(r.resolve(ReportWriter.DISCREPANCIES));
        Path broken = write("broken.csv", I_HEADER + "2024-01-01,Ada,10,\"20\n");
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        broken.toString(),
                        "--out",
                        r.toString()))
                .isEqualTo(TallyCli.USAGE);
        assertThat(Files.readString(r.resolve(ReportWriter.DISCREPANCIES))).isEqualTo(before);
        try (Stream<Path> files = Files.list(r)) {
            assertThat(files).hasSize(ReportWriter.FILES.size());
        }
    }

    @Test
    void generate_thenReconcile_messyData_rejectsSomeRows_andFindsEveryStatus() throws IOException {
        Path dir = tmp.resolve("g");
        assertThat(run("generate", "--rows", "20000", "--messy", "--seed", "7", "--out", dir.toString()))
                .isZero();
        assertThat(out.toString()).contains("20,000 rows");
        assertThat(run(
                        "reconcile",
                        "--purchase",
                        dir.resolve("purchase.csv").toString(),
                        "--inventory",
                        dir.resolve("inventory.csv").toString(),
                        "--out",
                        dir.resolve("r").toString()))
                .isZero();
        String summary = Files.readString(dir.resolve("r").resolve(ReportWriter.SUMMARY), StandardCharsets.UTF_8);
        assertThat(summary).contains("\"header_row\" : 4").contains("\"fingerprint\" : \"crc32c+crc32/64MiB-sha256:");
        String discrepancies = Files.readString(dir.resolve("r").resolve(ReportWriter.DISCREPANCIES));
        assertThat(discrepancies).contains(",OK\n", ",DISCREPANCY\n", ",MISSING_INVENTORY\n", ",MISSING_PURCHASE\n");
        assertThat(Files.readString(dir.resolve("r").resolve(ReportWriter.REJECTED))
                        .lines()
                        .count())
                .isGreaterThan(50);
    }

    @Test
    void generate_sameSeed_sameBytes() throws IOException {
        run(
                "generate",
                "--rows",
                "3000",
                "--messy",
                "--seed",
                "5",
                "--out",
                tmp.resolve("a").toString());
        run(
                "generate",
                "--rows",
                "3000",
                "--messy",
                "--seed",
                "5",
                "--out",
                tmp.resolve("b").toString());
        run(
                "generate",
                "--rows",
                "3000",
                "--messy",
                "--seed",
                "6",
                "--out",
                tmp.resolve("c").toString());
        byte[] a = Files.readAllBytes(tmp.resolve("a/purchase.csv"));
        assertThat(Files.readAllBytes(tmp.resolve("b/purchase.csv"))).isEqualTo(a);
        assertThat(Files.readAllBytes(tmp.resolve("c/purchase.csv"))).isNotEqualTo(a);
    }

    @Test
    void demo_generatesAndReconciles() {
        Path dir = tmp.resolve("demo");
        assertThat(run("demo", "--rows", "5000", "--out", dir.toString())).isZero();
        assertThat(dir.resolve("report").resolve(ReportWriter.DISCREPANCIES)).exists();
        assertThat(out.toString())
                .contains("reports in " + dir.resolve("report").toAbsolutePath());
    }

    @Test
    void glueLocal_isListed_andHasReconcilesOptions_andFromTallyJarSaysHowToRunIt() throws IOException {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("glue-local");
        out.getBuffer().setLength(0);
        assertThat(run("help", "glue-local")).isZero();
        assertThat(out.toString())
                .contains("Usage: tally glue-local")
                .contains("--threads=N")
                .contains("--range-size=BYTES")
                .contains("./tally glue-local");
        Path p = write("p.csv", P_HEADER + "2024-01-01,Ada,I1,10,20\n");
        Path i = write("i.csv", I_HEADER + "2024-01-01,Ada,10,20\n");
        // The tests' class path holds the Glue job's classes but not Spark, like tally.jar.
        assertThat(run(
                        "glue-local",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        tmp.resolve("r").toString()))
                .isEqualTo(TallyCli.USAGE);
        assertThat(err.toString().strip())
                .isEqualTo("tally: glue-local needs Spark and the Glue job, which tally.jar "
                        + "does not carry; run it as ./tally glue-local, which builds their class path on first use");
        assertThat(tmp.resolve("r")).doesNotExist();
        err.getBuffer().setLength(0);
        assertThat(run(
                        "glue-local",
                        "--purchase",
                        p.toString(),
                        "--inventory",
                        i.toString(),
                        "--out",
                        tmp.resolve("r").toString(),
                        "--frob",
                        "1"))
                .isEqualTo(TallyCli.USAGE);
        assertThat(err.toString()).contains("Unknown option");
    }

    private int run(String... args) {
        return TallyCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }
}
