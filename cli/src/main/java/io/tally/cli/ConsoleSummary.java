package io.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.core.ReportWriter;
import io.tally.functions.run.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a run prints once its reports are in place, the same for every command that runs one: the run's
 * {@code summary.md} as it is, where the reports are, and each warning of its {@code summary.json} on stderr.
 */
final class ConsoleSummary {
    private ConsoleSummary() {}

    /** Prints the summary of the report set in {@code out} after {@code firstLine}. */
    static void print(PrintWriter stdout, PrintWriter stderr, String firstLine, Path out) throws IOException {
        stdout.println(firstLine);
        stdout.println();
        stdout.print(Files.readString(out.resolve(ReportWriter.SUMMARY_MD), StandardCharsets.UTF_8));
        stdout.println();
        stdout.printf("reports in %s: %s%n", out.toAbsolutePath().normalize(), String.join(", ", ReportWriter.FILES));
        JsonNode summary = Json.MAPPER.readTree(Files.readString(out.resolve(ReportWriter.SUMMARY)));
        for (JsonNode w : summary.path("warnings")) {
            stderr.println("tally: warning: " + w.path("message").asText());
        }
    }
}
