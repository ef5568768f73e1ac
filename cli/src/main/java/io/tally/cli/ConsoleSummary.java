package io.tally.cli;

import io.tally.core.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run prints once its reports are in place, the same for every command that runs one: the run's
 * {@code summary.md} as it is, where the reports are, and each warning (those {@code summary.json} lists) on
 * stderr. It uses nothing of the functions module: {@code tally glue-local} runs without it.
 */
final class ConsoleSummary {
    private ConsoleSummary() {}

    /** Prints the summary of the report set in {@code out} after {@code firstLine}, and the run's warnings. */
    static void print(PrintWriter stdout, PrintWriter stderr, String firstLine, Path out, List<String> warnings)
            throws IOException {
        stdout.println(firstLine);
        stdout.println();
        stdout.print(Files.readString(out.resolve(ReportWriter.SUMMARY_MD), StandardCharsets.UTF_8));
        stdout.println();
        stdout.printf("reports in %s: %s%n", out.toAbsolutePath().normalize(), String.join(", ", ReportWriter.FILES));
        for (String w : warnings) {
            stderr.println("tally: warning: " + w);
        }
    }
}
