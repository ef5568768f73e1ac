package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.ReportWriter;
import io.tally.core.sample.SampleGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tally glue-local} run by the launcher as a user runs it (on the glue module's class path, with
 * {@code TALLY_NO_BUILD} so it runs the reactor's build): held to {@code tally reconcile}'s options, checks, report
 * folder, exit codes and one-line errors.
 */
class GlueLocalIT {
    private static final Path ROOT =
            Path.of(System.getProperty("user.dir")).resolve("..").normalize();

    @TempDir
    static Path tmp;

    private static SampleGenerator.Written pair;

    @BeforeAll
    static void generate() throws IOException {
        pair = new SampleGenerator(new SampleGenerator.Options(5_000, 3, true)).write(tmp.resolve("pair"));
    }

    private record Run(int code, String stdout, String stderr) {}

    private static Run glueLocal(Map<String, String> env, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("bash", ROOT.resolve("tally").toString(), "glue-local"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile());
        pb.environment().put("TALLY_NO_BUILD", "1");
        pb.environment().put("TALLY_HEAP", "1g");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("stdout")), Files.readString(tmp.resolve("stderr")));
    }

    private static Run glueLocal(String... args) throws Exception {
        return glueLocal(Map.of(), args);
    }

    private static List<String> inputs(Path out) {
        return List.of(
                "--purchase",
                pair.purchase().toString(),
                "--inventory",
                pair.inventory().toString(),
                "--out",
                out.toString());
    }

    private static String[] with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void assertUsage(Run r, String says) {
        assertThat(r.code()).as(r.toString()).isEqualTo(TallyCli.USAGE);
        assertThat(r.stderr().strip())
                .as(r.toString())
                .startsWith("tally: ")
                .contains(says)
                .doesNotContain("\n");
    }

    @Test
    void help_showsReconcilesOptions() throws Exception {
        Run r = glueLocal("--help");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.stdout())
                .contains("Usage: tally glue-local")
                .contains("--purchase=FILE")
                .contains("--threads=N")
                .contains("--range-size=BYTES")
                .contains("--fail-on-discrepancy")
                .contains("--tolerance-kg=KG");
    }

    @Test
    void unknownOptions_andBadValues_areRefusedInOneLine_beforeSparkStarts() throws Exception {
        Path out = tmp.resolve("refused");
        assertUsage(glueLocal(with(inputs(out), "--frob", "1")), "Unknown options: '--frob', '1'");
        assertUsage(glueLocal(with(inputs(out), "--range-size", "1")), "--range-size must be at least 4096 bytes");
        assertUsage(glueLocal(with(inputs(out), "--threads", "0")), "--threads must be at least 1");
        assertUsage(glueLocal(with(inputs(out), "--tolerance-kg", "-1")), "tolerance");
        assertThat(out).doesNotExist();
    }

    @Test
    void inputsInsideTheReportFolder_areRefused_andLeftAsTheyWere() throws Exception {
        Path rep = tmp.resolve("rep");
        StringWriter sink = new StringWriter();
        assertThat(TallyCli.execute(
                        with(List.of("reconcile"), inputs(rep).toArray(String[]::new)),
                        new PrintWriter(sink),
                        new PrintWriter(sink)))
                .as(sink.toString())
                .isZero();
        Map<String, String> before = reports(rep);
        Run r = glueLocal(
                "--purchase",
                rep.resolve(ReportWriter.DISCREPANCIES).toString(),
                "--inventory",
                rep.resolve(ReportWriter.REJECTED).toString(),
                "--out",
                rep.toString());
        assertUsage(r, "is inside the report folder " + rep);
        assertThat(reports(rep)).isEqualTo(before);
    }

    @Test
    void aRun_givesReconcilesReports_exitCodes_andNoSparkLogLines() throws Exception {
        Path reference = tmp.resolve("reference");
        StringWriter sink = new StringWriter();
        assertThat(TallyCli.execute(
                        with(List.of("reconcile"), inputs(reference).toArray(String[]::new)),
                        new PrintWriter(sink),
                        new PrintWriter(sink)))
                .as(sink.toString())
                .isZero();
        Path out = tmp.resolve("glue");
        Run r = glueLocal(with(inputs(out), "--threads", "2", "--range-size", "65536", "--fail-on-discrepancy"));
        assertThat(r.code()).as(r.toString()).isEqualTo(TallyCli.DISCREPANCIES);
        assertThat(r.stderr()).as(r.toString()).isEmpty();
        assertThat(r.stdout()).contains("Spark local[2]").contains("reports in " + out);
        Map<String, String> glue = reports(out);
        Map<String, String> local = reports(reference);
        assertThat(glue.get(ReportWriter.SUMMARY)).contains("\"executor\" : \"glue\"");
        glue.remove(ReportWriter.SUMMARY);
        local.remove(ReportWriter.SUMMARY);
        assertThat(glue).isEqualTo(local);
    }

    @Test
    void aTemporaryFolderThatCannotBeWritten_isOneLineNamingIt_exit2() throws Exception {
        Path notAFolder = Files.writeString(tmp.resolve("tmp-is-a-file"), "x");
        Path out = tmp.resolve("no-tmp");
        Run r = glueLocal(
                Map.of("TALLY_JAVA_OPTS", "-Djava.io.tmpdir=" + notAFolder),
                inputs(out).toArray(String[]::new));
        assertUsage(r, "cannot write Spark's temporary files in " + notAFolder);
        assertThat(r.stderr()).contains("TALLY_JAVA_OPTS=-Djava.io.tmpdir=DIR");
        assertThat(out).doesNotExist();
    }

    private static Map<String, String> reports(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String f : ReportWriter.FILES) {
            out.put(f, Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
        }
        return out;
    }
}
