package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.ReportWriter;
import io.tally.core.sample.SampleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally reconcile} killed with SIGKILL at random moments: whoever reads {@code --out} afterwards sees a
 * whole report set (the previous one or the new one), and the next run removes what the killed ones left.
 */
class KillNineIT {
    private static final Path JAR = Path.of("target/tally.jar");

    @TempDir
    Path tmp;

    private Process reconcile(SampleGenerator.Written w, Path out, String toleranceKg) throws Exception {
        return new ProcessBuilder(
                        "java",
                        "-Xmx300m",
                        "-jar",
                        JAR.toString(),
                        "reconcile",
                        "--purchase",
                        w.purchase().toString(),
                        "--inventory",
                        w.inventory().toString(),
                        "--out",
                        out.toString(),
                        "--tolerance-kg",
                        toleranceKg,
                        "--quiet")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile())
                .start();
    }

    /** The set {@code out} shows: every report file, complete, and from one run. */
    private static String wholeSet(Path out) throws Exception {
        Path set = out.toRealPath();
        for (String name : ReportWriter.FILES) {
            assertThat(set.resolve(name)).exists();
        }
        String summary = Files.readString(set.resolve(ReportWriter.SUMMARY));
        assertThat(summary).startsWith("{").endsWith("}\n");
        String kg = summary.replaceAll("(?s).*\"tolerance_kg\" : \"([^\"]+)\".*", "$1");
        assertThat(Files.readString(set.resolve(ReportWriter.DISCREPANCIES))).startsWith("date,officer,");
        return kg;
    }

    @Test
    void killedAtAnyMoment_outShowsAWholeSet_andTheNextRunCleansUp() throws Exception {
        assertThat(JAR).as("the packaged tally.jar").exists();
        SampleGenerator.Written w =
                new SampleGenerator(new SampleGenerator.Options(300_000, 3, true)).write(tmp.resolve("data"));
        Path out = tmp.resolve("out");
        Process first = reconcile(w, out, "0.5");
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(first.exitValue())
                .as(Files.readString(tmp.resolve("log.txt")))
                .isZero();
        assertThat(wholeSet(out)).isEqualTo("0.5");

        SplittableRandom random = new SplittableRandom(7);
        for (int k = 1; k <= 6; k++) {
            String kg = "0." + k;
            Process p = reconcile(w, out, kg);
            Thread.sleep(200 + random.nextInt(2_500));
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
            String shown = wholeSet(out);
            assertThat(shown).as("kill %d", k).isIn("0.5", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6");
        }

        Process last = reconcile(w, out, "0.9");
        assertThat(last.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(last.exitValue()).isZero();
        assertThat(wholeSet(out)).isEqualTo("0.9");
        try (Stream<Path> sets = Files.list(tmp.resolve(".out.tally"))) {
            List<String> names = sets.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(".lock") && !n.endsWith(".complete"))
                    .toList();
            assertThat(names).as("the current set and the one it replaced").hasSizeLessThanOrEqualTo(2);
        }
    }
}
