package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every misuse gets one clear line and exit 2, before any work. */
class MisuseTest {
    private static final String P =
            "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                    + "2024-01-01,Ada Obi,I1,10,20\n";
    private static final String I =
            "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n" + "2024-01-01,ada obi,10,19.8\n";

    @TempDir
    Path tmp;

    private Path p;
    private Path i;
    private Path file;

    @BeforeEach
    void files() throws IOException {
        p = Files.writeString(tmp.resolve("p.csv"), P, StandardCharsets.UTF_8);
        i = Files.writeString(tmp.resolve("i.csv"), I, StandardCharsets.UTF_8);
        file = Files.writeString(tmp.resolve("a-file.txt"), "x");
    }

    /** Runs tally; returns exit code and the error text. */
    private record Run(int code, String err, String out) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TallyCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, err.toString(), out.toString());
    }

    private void assertUsage(Run r, String... fragments) {
        assertThat(r.code()).as(r.err()).isEqualTo(TallyCli.USAGE);
        assertThat(r.err().lines()).as(r.err()).hasSize(1).allMatch(l -> l.startsWith("tally: "));
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
    }

    private List<String> reconcile(String... extra) {
        List<String> a = new ArrayList<>(List.of("reconcile", "--purchase", p.toString(), "--inventory", i.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void outThatIsAFileOrDevNull_isRefused_withThePathAndTheReason_byEveryCommand() {
        for (String out : List.of(file.toString(), "/dev/null")) {
            assertUsage(run(reconcile("--out", out).toArray(String[]::new)), out + ": is a file, not a folder");
            assertUsage(run("local", "--rows", "100", "--out", out), out + ": is a file, not a folder");
            assertUsage(run("generate", "--rows", "100", "--out", out), out + ": is a file, not a folder");
        }
        String under = file.resolve("sub").toString();
        assertUsage(
                run(reconcile("--out", under).toArray(String[]::new)),
                under + ": cannot be created: " + file + " is a file, not a folder");
        assertUsage(run("generate", "--rows", "10", "--out", under), "is a file, not a folder");
    }

    @Test
    void tolerancesOutOfRange_failAtOnce() {
        String out = tmp.resolve("r").toString();
        assertUsage(
                run(reconcile("--out", out, "--tolerance-kg", "1e999999999").toArray(String[]::new)),
                "tolerance kg must be at most 1000000000000000, not 1E+999999999");
        assertUsage(
                run(reconcile("--out", out, "--tolerance-pct", "1e2147483647").toArray(String[]::new)),
                "tolerance pct must be at most 1000000");
        assertUsage(
                run(reconcile("--out", out, "--tolerance-kg", "1e-999999999").toArray(String[]::new)),
                "tolerance kg may have at most 9 decimal places");
        assertUsage(run("local", "--rows", "10", "--out", out, "--tolerance-kg", "1e999999999"), "tolerance kg");
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void localOptionsOutOfRange_failBeforeAnythingStarts() {
        String out = tmp.resolve("r").toString();
        assertUsage(run("local", "--rows", "10", "--out", out, "--workers", "0"), "--workers must be 1 to 64");
        assertUsage(run("local", "--rows", "10", "--out", out, "--batch-size", "0"), "--batch-size must be 1 to 10");
        assertUsage(run("local", "--rows", "10", "--out", out, "--batch-size", "11"), "--batch-size must be 1 to 10");
        assertUsage(
                run("local", "--rows", "10", "--out", out, "--visibility-timeout", "0"),
                "--visibility-timeout must be 1 to 43200");
        assertUsage(
                run("local", "--rows", "10", "--out", out, "--range-size", "1"), "--range-size must be at least 65536");
        assertUsage(run("local", "--rows", "10", "--out", out, "--tier", "spark"), "--tier: tier must be inline");
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void generateRowsOutOfRange_areRefused() {
        assertUsage(run("generate", "--rows", "-1", "--out", tmp.resolve("g").toString()), "--rows must be 0 to");
        assertUsage(
                run(
                        "generate",
                        "--rows",
                        "99999999999999",
                        "--out",
                        tmp.resolve("g").toString()),
                "not 99999999999999");
    }

    @Test
    void pathologicalReconcileOptions_areRefusedOrClampedWithANote() {
        String out = tmp.resolve("r").toString();
        assertUsage(
                run(reconcile("--out", out, "--range-size", "1").toArray(String[]::new)),
                "--range-size must be at least 4096");
        Run clamped = run(reconcile("--out", out, "--threads", "10000").toArray(String[]::new));
        assertThat(clamped.code()).isZero();
        assertThat(clamped.err()).startsWith("tally: using ").contains("--threads 10000 is more than 4 per core");
        assertThat(tmp.resolve("r").resolve(ReportWriter.DISCREPANCIES)).exists();
    }

    /**
     * Linux file names are bytes; Java decodes the command line as UTF-8 and cannot open a name that is not, so
     * such a file is named for what it is, not called missing.
     */
    @Test
    void aTrackerWhoseNameIsNotUtf8_isNamedAsSuch_notCalledMissing() throws Exception {
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "cp \"$P\" \"$D/p$(printf '\\351').csv\"");
        b.environment().put("P", p.toString());
        b.environment().put("D", tmp.toString());
        assertThat(b.start().waitFor()).isZero();
        String decoded = tmp + "/p\uFFFD.csv"; // what the JVM makes of the argument p\351.csv
        Run r = run(
                "reconcile",
                "--purchase",
                decoded,
                "--inventory",
                i.toString(),
                "--out",
                tmp.resolve("r").toString());
        assertUsage(r, "cannot read the purchase tracker", "its name is not valid UTF-8");
        assertThat(r.err()).doesNotContain("no such file");
        // A name that is simply absent is still "no such file".
        assertUsage(
                run(
                        "reconcile",
                        "--purchase",
                        tmp + "/q\uFFFD.csv",
                        "--inventory",
                        i.toString(),
                        "--out",
                        tmp.resolve("r").toString()),
                "no such file");
    }

    /** A file that says it is empty but is not (Linux /proc files report size 0) cannot be cut into ranges. */
    @Test
    void aTrackerThatReportsSizeZeroButHasContent_isOneLine() throws IOException {
        Path environ = Path.of("/proc/self/environ");
        Assumptions.assumeTrue(Files.isReadable(environ) && Files.size(environ) == 0, "a Linux proc file system");
        Run r = run(
                "reconcile",
                "--purchase",
                environ.toString(),
                "--inventory",
                i.toString(),
                "--out",
                tmp.resolve("r").toString());
        assertUsage(r, "cannot read the purchase tracker /proc/self/environ", "size of 0");
        Run l = run(
                "local",
                "--purchase",
                p.toString(),
                "--inventory",
                environ.toString(),
                "--out",
                tmp.resolve("l").toString());
        assertUsage(l, "cannot read the inventory tracker /proc/self/environ", "size of 0");
    }

    /** S3's XML cannot carry a control character, so {@code tally local} refuses such a name before it starts. */
    @Test
    void local_aTrackerNameHoldingAControlCharacter_isRefusedBeforeAnythingStarts() throws IOException {
        Path odd = Files.writeString(tmp.resolve("p\u0001.csv"), P, StandardCharsets.UTF_8);
        Run r = run(
                "local",
                "--purchase",
                odd.toString(),
                "--inventory",
                i.toString(),
                "--out",
                tmp.resolve("l").toString());
        assertUsage(r, "cannot use the purchase tracker", "control character", "\\x01");
        assertThat(r.err()).doesNotContain("Could not parse");
    }

    @Test
    void aReportNeverOverwritesAnInput() throws IOException {
        Path out = tmp.resolve("r");
        assertThat(run(reconcile("--out", out.toString()).toArray(String[]::new))
                        .code())
                .isZero();
        Path input = out.resolve(ReportWriter.OFFICERS);
        String before = Files.readString(input);
        assertUsage(
                run("reconcile", "--purchase", input.toString(), "--inventory", i.toString(), "--out", out.toString()),
                "is inside the report folder");
        assertThat(Files.readString(input)).isEqualTo(before);
    }

    @Test
    void outHoldingOtherFiles_isRefused_andKept() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertUsage(
                run(reconcile("--out", out.toString()).toArray(String[]::new)),
                "holds files Tally did not write",
                "notes.txt");
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aFullDiskThatNamesNoFile_isOneLine_namingTheTemporaryFolder_andWhatToDo() {
        String line = TallyCli.userFacing(new UncheckedIOException(new IOException("No space left on device")));
        assertThat(line)
                .contains("no space left on the disk")
                .contains(System.getProperty("java.io.tmpdir"))
                .contains("-Djava.io.tmpdir=DIR")
                .doesNotContain("\n");
    }
}
