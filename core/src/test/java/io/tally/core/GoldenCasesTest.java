package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case under {@code cases/}: two trackers, optional {@code options.properties}, and under
 * {@code expected/} either the report files or {@code error.txt}. Each case runs as one range and again
 * cut into tiny ranges on two threads, so every boundary rule is exercised against the same expectations.
 * The expected CSVs come from an independent implementation of DATA.md, checked by hand.
 */
class GoldenCasesTest {
    private static final List<Long> RANGE_SIZES = List.of(0L, 1L, 5L, 17L, 64L);

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        Path root = Path.of(GoldenCasesTest.class.getResource("/cases").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> all = dirs.filter(Files::isDirectory).sorted().toList();
            return all.stream().flatMap(dir -> RANGE_SIZES.stream()
                    .map(size -> Arguments.of(dir.getFileName().toString(), size, dir)));
        }
    }

    /** Every case again with every rejected row set aside on disk ({@link RejectedRows}): the same bytes. */
    @ParameterizedTest(name = "{0} (range size {1}, rejected rows on disk)")
    @MethodSource("cases")
    void reconcile_withRejectedRowsOnDisk_matchesExpectedReports(String name, long rangeSize, Path dir)
            throws IOException {
        long budget = RejectedRows.memoryBudget;
        int chunk = RejectedRows.builderChunk;
        RejectedRows.memoryBudget = 0;
        RejectedRows.builderChunk = 0;
        try {
            reconcile_matchesExpectedReports(name, rangeSize, dir);
        } finally {
            RejectedRows.memoryBudget = budget;
            RejectedRows.builderChunk = chunk;
        }
    }

    /**
     * Every case again with every invoice line set aside on disk, one line a run, and runs merged on disk in groups
     * ({@link Invoices}): the same bytes.
     */
    @ParameterizedTest(name = "{0} (range size {1}, invoice lines on disk)")
    @MethodSource("cases")
    void reconcile_withInvoiceLinesOnDisk_matchesExpectedReports(String name, long rangeSize, Path dir)
            throws IOException {
        int budget = InvoiceCollector.lineBudget;
        int kept = InvoiceCollector.keptInMemory;
        InvoiceCollector.lineBudget = 1;
        InvoiceCollector.keptInMemory = 0;
        try {
            reconcile_matchesExpectedReports(name, rangeSize, dir);
        } finally {
            InvoiceCollector.lineBudget = budget;
            InvoiceCollector.keptInMemory = kept;
        }
    }

    @ParameterizedTest(name = "{0} (range size {1})")
    @MethodSource("cases")
    void reconcile_matchesExpectedReports(String name, long rangeSize, Path dir) throws IOException {
        LocalRun.Options options = options(dir, rangeSize);
        Path out = tmp.resolve("out");
        Path expected = dir.resolve("expected");
        Path error = expected.resolve("error.txt");
        if (Files.exists(error)) {
            String message = Files.readString(error, StandardCharsets.UTF_8).strip();
            assertThatThrownBy(() -> LocalRun.run(
                            dir.resolve("purchase.csv"),
                            dir.resolve("inventory.csv"),
                            out,
                            options,
                            Engine.Progress.NONE))
                    .isInstanceOf(SheetFormatException.class)
                    .hasMessage(message);
            assertThat(out).doesNotExist();
            return;
        }
        LocalRun.run(dir.resolve("purchase.csv"), dir.resolve("inventory.csv"), out, options, Engine.Progress.NONE);
        int compared = 0;
        for (String file : List.of(
                ReportWriter.DISCREPANCIES,
                ReportWriter.REJECTED,
                ReportWriter.OFFICERS,
                ReportWriter.FINDINGS,
                ReportWriter.INVOICES)) {
            Path want = expected.resolve(file);
            if (Files.exists(want)) {
                assertThat(Files.readString(out.resolve(file), StandardCharsets.UTF_8))
                        .as("%s/%s", name, file)
                        .isEqualTo(Files.readString(want, StandardCharsets.UTF_8));
                compared++;
            }
        }
        assertThat(compared).as("case %s has expected reports", name).isGreaterThanOrEqualTo(2);
        assertThat(out.resolve(ReportWriter.SUMMARY)).exists();
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ReportWriter.FILES);
        }
    }

    private static LocalRun.Options options(Path dir, long rangeSize) throws IOException {
        Properties p = new Properties();
        Path file = dir.resolve("options.properties");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        Tolerances t = new Tolerances(
                new BigDecimal(p.getProperty("tolerance-kg", "0.5")),
                new BigDecimal(p.getProperty("tolerance-pct", "2.0")));
        return new LocalRun.Options(
                t, DateOrder.parse(p.getProperty("date-order", "day-first")), rangeSize == 0 ? 1 : 2, rangeSize);
    }
}
