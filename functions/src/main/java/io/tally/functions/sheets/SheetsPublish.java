package io.tally.functions.sheets;

import io.tally.core.Tracker;
import io.tally.functions.Functions;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.Json;
import io.tally.names.MetricNames;
import io.tally.sheets.SheetsClient;
import io.tally.storage.ObjectStore;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The publish function's work: a successful run's reports, read from {@code reports/{runId}/}, written into the
 * report spreadsheet. It only reads S3; a failure leaves the reports as they are, and the queue retries it.
 */
public final class SheetsPublish {
    static final String FUNCTION = Functions.SHEETS_PUBLISH;

    /** The body of a publish-queue message. */
    public record Message(String runId) {}

    private final SheetsConfig config;
    private final RunLedger ledger;
    private final ObjectStore store;
    private final Supplier<SheetsClient> client;
    private final Telemetry telemetry;

    public SheetsPublish(SheetsConfig config, RunLedger ledger, Supplier<SheetsClient> client, Telemetry telemetry) {
        this.config = config;
        this.ledger = ledger;
        this.store = ledger.store();
        this.client = client;
        this.telemetry = telemetry;
    }

    public SheetsWriteBack.Plan publish(String runId) {
        String report = config.report().orElseThrow(() -> new IllegalStateException("no report spreadsheet is set"));
        String prefix = RunKeys.reports(runId);
        if (store.head(prefix + "summary.json").isEmpty()) {
            throw new IllegalStateException("run " + runId + " has no reports in " + prefix);
        }
        Manifest manifest = ledger.manifest(runId);
        Map<String, RunReports.SourceSheet> sources = new HashMap<>();
        for (Tracker t : Tracker.values()) {
            store.get(SheetsExport.recordKey(t))
                    .map(b -> Json.read(b, SheetsExport.Record.class))
                    .filter(r -> r.key().equals(manifest.source(t).key()))
                    .ifPresent(r -> sources.put(
                            t.label(), new RunReports.SourceSheet(r.spreadsheetId(), r.sheetId(), r.sheet())));
        }
        RunReports reports = new RunReports() {
            @Override
            public String runId() {
                return runId;
            }

            @Override
            public String finishedAt() {
                return manifest.createdAt();
            }

            @Override
            public Instant dataTime() {
                return manifest.dataTime();
            }

            @Override
            public InputStream open(String fileName) throws IOException {
                return store.open(prefix + fileName);
            }

            @Override
            public String location() {
                return "s3://" + store.bucket() + "/" + prefix.substring(0, prefix.length() - 1);
            }

            @Override
            public Map<String, SourceSheet> sources() {
                return sources;
            }
        };
        try {
            SheetsWriteBack.Plan plan = new SheetsWriteBack(
                            client.get(),
                            SheetsWriteBack.CELL_LIMIT,
                            5_000,
                            (event, fields) -> telemetry.log(FUNCTION, event, runId, fields))
                    .publish(report, reports, false);
            telemetry.log(
                    FUNCTION, "sheets.published", runId, Map.of("spreadsheet", report, "summary", plan.describe()));
            telemetry
                    .metrics(FUNCTION, manifest.tier(), runId)
                    .count(MetricNames.SHEETS_PUBLISHED, 1)
                    .flush();
            return plan;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
