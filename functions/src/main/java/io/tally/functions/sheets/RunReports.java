package io.tally.functions.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.storage.run.RunJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One run's reports, wherever they are: a local folder ({@code tally sheets publish --run DIR}) or
 * {@code reports/{runId}/} in S3 (the publish function).
 */
public interface RunReports {
    /** The run's id, from its {@code summary.json}. */
    String runId();

    /** When the run's reports were written (ISO-8601), for the "Last refreshed" line. */
    String finishedAt();

    /**
     * How fresh the run's data is: what orders runs, so an older run never replaces a newer one in the
     * spreadsheet. By default, when the run was made.
     */
    default Instant dataTime() {
        try {
            return Instant.parse(finishedAt());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    InputStream open(String fileName) throws IOException;

    /** Where the full reports are, for a tab that holds only part of them ({@code s3://...} or a folder). */
    String location();

    /**
     * Where each tracker came from, when it was exported from Google Sheets: tracker label to (spreadsheet id,
     * sheet id), so a rejected row can link to its row in the source sheet.
     */
    Map<String, SourceSheet> sources();

    /** A tracker's source sheet. */
    record SourceSheet(String spreadsheetId, int sheetId, String title) {}

    /** The reports in a local folder, as {@code tally reconcile} writes them. */
    static RunReports folder(Path dir, Map<String, SourceSheet> sources) throws IOException {
        String summary = Files.readString(dir.resolve("summary.json"));
        String runId = field(summary, "run_id").orElseThrow(() -> new IOException(dir + "/summary.json has no run_id"));
        String started = field(summary, "started_at").orElse("");
        Path real = dir.toRealPath();
        return new RunReports() {
            @Override
            public String runId() {
                return runId;
            }

            @Override
            public String finishedAt() {
                return started;
            }

            @Override
            public InputStream open(String fileName) throws IOException {
                return Files.newInputStream(real.resolve(fileName));
            }

            @Override
            public String location() {
                return real.toString();
            }

            @Override
            public Map<String, SourceSheet> sources() {
                return sources;
            }
        };
    }

    /** A top-level text field of summary.json. */
    private static Optional<String> field(String json, String name) throws IOException {
        JsonNode v = RunJson.MAPPER.readTree(json).get(name);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }
}
