package io.tally.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.core.DateOrder;
import io.tally.core.Engine;
import io.tally.core.InputChangedException;
import io.tally.core.LocalRun;
import io.tally.core.ReportWriter;
import io.tally.core.SheetFormatException;
import io.tally.core.Tolerances;
import io.tally.core.sample.SampleGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode (UI off, 2 shuffle partitions) gives the reports {@code tally reconcile} gives,
 * byte for byte: on every golden case, one range and tiny ranges whose boundaries fall inside quoted
 * newlines, and on a 1,000,000-row messy pair.
 */
class ReconcileTransformTest {
    private static final Path CASES = Path.of("../core/src/test/resources/cases");
    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .appName("tally-test")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Map<String, String> reports(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String f : ReportWriter.SAME_ON_EVERY_PATH) {
            out.put(f, Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Path spark(
            Path purchase, Path inventory, Tolerances t, DateOrder order, long rangeBytes, String name)
            throws IOException {
        Path out = tmp.resolve(name);
        LocalRun.run(
                purchase,
                inventory,
                out,
                new LocalRun.Options(t, order, 2, rangeBytes),
                Engine.Progress.NONE,
                new SparkLocalReader(spark));
        return out;
    }

    @Test
    void everyGoldenCase_oneRangeAndTinyRanges_matchesTheExpectedReports() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(CASES)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).hasSizeGreaterThan(20);
        int compared = 0;
        for (Path dir : cases) {
            Properties props = new Properties();
            if (Files.exists(dir.resolve("options.properties"))) {
                try (var in = Files.newBufferedReader(dir.resolve("options.properties"))) {
                    props.load(in);
                }
            }
            Tolerances t = new Tolerances(
                    new BigDecimal(props.getProperty("tolerance-kg", "0.5")),
                    new BigDecimal(props.getProperty("tolerance-pct", "2.0")));
            DateOrder order = DateOrder.parse(props.getProperty("date-order", "day-first"));
            Path error = dir.resolve("expected/error.txt");
            for (long range : new long[] {1 << 20, 17}) {
                String name = dir.getFileName() + "-" + range;
                if (Files.exists(error)) {
                    assertThatThrownBy(() -> spark(
                                    dir.resolve("purchase.csv"), dir.resolve("inventory.csv"), t, order, range, name))
                            .as(name)
                            .isInstanceOf(SheetFormatException.class)
                            .hasMessage(Files.readString(error).strip());
                    continue;
                }
                Path out = spark(dir.resolve("purchase.csv"), dir.resolve("inventory.csv"), t, order, range, name);
                for (String f : ReportWriter.SAME_ON_EVERY_PATH) {
                    Path want = dir.resolve("expected").resolve(f);
                    if (Files.exists(want)) {
                        assertThat(Files.readString(out.resolve(f)))
                                .as("%s/%s", name, f)
                                .isEqualTo(Files.readString(want));
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(40);
    }

    @Test
    void aMillionRowMessyPair_givesTheReconcileReports_inBigAndSmallRanges() throws IOException {
        SampleGenerator.Written w =
                new SampleGenerator(new SampleGenerator.Options(1_000_000, 17, true)).write(tmp.resolve("million"));
        Path reference = tmp.resolve("reference");
        LocalRun.run(w.purchase(), w.inventory(), reference, LocalRun.Options.defaults(), Engine.Progress.NONE);
        Map<String, String> expected = reports(reference);
        assertThat(expected.get(ReportWriter.REJECTED).lines().count()).isGreaterThan(1_000);
        assertThat(reports(
                        spark(w.purchase(), w.inventory(), Tolerances.DEFAULT, DateOrder.DAY_FIRST, 16L << 20, "m16")))
                .isEqualTo(expected);
        assertThat(reports(spark(w.purchase(), w.inventory(), Tolerances.DEFAULT, DateOrder.DAY_FIRST, 1L << 20, "m1")))
                .isEqualTo(expected);
    }

    @Test
    void theReader_isFoundAsAService_andWritesTheFourReports_asGlue() throws IOException {
        assertThat(ServiceLoader.load(LocalRun.Reader.class).stream()
                        .map(r -> r.type().getName()))
                .contains(SparkLocalReader.class.getName());
        SampleGenerator.Written w =
                new SampleGenerator(new SampleGenerator.Options(5_000, 3, true)).write(tmp.resolve("cli"));
        Path out = spark(w.purchase(), w.inventory(), Tolerances.DEFAULT, DateOrder.DAY_FIRST, 4096, "cli-out");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ReportWriter.FILES);
        }
        Path reference = tmp.resolve("cli-ref");
        LocalRun.run(w.purchase(), w.inventory(), reference, LocalRun.Options.defaults(), Engine.Progress.NONE);
        assertThat(reports(out)).isEqualTo(reports(reference));
        assertThat(Files.readString(out.resolve(ReportWriter.SUMMARY))).contains("\"executor\" : \"glue\"");
    }

    @Test
    void aTrackerThatGrowsOrShrinksWhileSparkReadsIt_failsTheRun_asReconcileDoes() throws IOException {
        SampleGenerator.Written w =
                new SampleGenerator(new SampleGenerator.Options(20_000, 5, false)).write(tmp.resolve("changing"));
        String original = Files.readString(w.purchase());
        Map<String, Runnable> changes = Map.of(
                "appended", () -> write(w.purchase(), original + "2024-01-02,Ada Obi,INV-9,10,20\n"),
                "truncated", () -> write(w.purchase(), original.substring(0, original.length() / 3)));
        for (Map.Entry<String, Runnable> change : changes.entrySet()) {
            write(w.purchase(), original);
            Path out = tmp.resolve("changing-" + change.getKey());
            AtomicBoolean once = new AtomicBoolean();
            Engine.Progress changeOnce = bytes -> {
                if (once.compareAndSet(false, true)) {
                    change.getValue().run();
                }
            };
            LocalRun.Options options = new LocalRun.Options(Tolerances.DEFAULT, DateOrder.DAY_FIRST, 2, 8192);
            assertThatThrownBy(() -> LocalRun.run(
                            w.purchase(), w.inventory(), out, options, changeOnce, new SparkLocalReader(spark)))
                    .as(change.getKey())
                    .isInstanceOf(InputChangedException.class)
                    .hasMessageContaining(w.purchase() + " changed while Tally read it (its size went from")
                    .hasMessageNotContaining("\n");
            assertThat(out).as(change.getKey()).doesNotExist();
        }
    }

    @Test
    void aWriteThatFailsInTheScratchFolder_isOneLineNamingIt_throughSparksWrapping() {
        Path scratch = tmp.resolve("tally-glue-123");
        Exception fromSpark = new RuntimeException(
                "Job aborted due to stage failure: Task 3 failed 1 times",
                new UncheckedIOException(
                        "the partial of range purchase-3 cannot be written",
                        new FileSystemException(
                                scratch.resolve("partials/purchase-3.partial").toString(),
                                null,
                                "No space left on device")));
        RuntimeException e = SparkLocalReader.explained(fromSpark, scratch);
        assertThat(e)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot write Spark's temporary files in "
                        + scratch
                        + " (No space left on device); free space there, or give another temporary folder with "
                        + "TALLY_JAVA_OPTS=-Djava.io.tmpdir=DIR");
        SheetFormatException bad =
                new SheetFormatException("purchase.csv", 3, "purchase.csv row 3: the bytes are not valid UTF-8");
        assertThat(SparkLocalReader.explained(new RuntimeException("Job aborted", bad), scratch))
                .isSameAs(bad);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
