package io.tally.functions.run;

import io.tally.core.Invoices;
import io.tally.core.Reconciler;
import io.tally.core.ReportWriter;
import io.tally.core.RunInfo;
import io.tally.core.Status;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import io.tally.functions.aws.MessageQueue;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.sheets.SheetsPublish;
import io.tally.names.MetricNames;
import io.tally.storage.ObjectStore;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunJson;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a finished run's reports. The reports stream to {@code reports/{runId}/} as they are rendered, as
 * multipart uploads, and to {@code reports/latest/} too when the run is the newest; an upload's object appears
 * only when it completes, so the run's reports appear first, then latest's (summary.json last), and only then does
 * the ledger mark the run SUCCEEDED. A run that fails while its reports are written leaves none of them. Run
 * state (status, latest pointer) is the {@link RunLedger}'s.
 */
public final class Publisher {
    private final RunLedger ledger;
    private final ObjectStore store;
    private final String function;
    private final Telemetry telemetry;
    private final Optional<MessageQueue> completions;

    /** @param completions where a successful run is announced (the Sheets publish queue), if anywhere */
    public Publisher(RunLedger ledger, Telemetry telemetry, Optional<MessageQueue> completions) {
        this.ledger = ledger;
        this.store = ledger.store();
        this.function = ledger.function();
        this.telemetry = telemetry;
        this.completions = completions;
    }

    /** Publishes the reports of {@code purchase} and {@code inventory}, {@code invoices} their second pass. */
    public Reconciler.Outcome publish(
            Manifest manifest, TrackerTotals purchase, TrackerTotals inventory, Invoices invoices) {
        Map<String, ObjectStore.Upload> uploads = new LinkedHashMap<>();
        try {
            Manifest.Source p = manifest.source(Tracker.PURCHASE);
            Manifest.Source i = manifest.source(Tracker.INVENTORY);
            Instant started = Instant.parse(manifest.createdAt());
            RunInfo info = new RunInfo(
                    manifest.runId(),
                    input(p),
                    input(i),
                    manifest.tolerances(),
                    manifest.order(),
                    started,
                    manifest.tier().name().toLowerCase(Locale.ROOT));
            String prefix = RunKeys.reports(manifest.runId());
            boolean newest = ledger.isNewest(manifest);
            // The reports stream to S3 as they are rendered, in multipart uploads, and to reports/latest/ too
            // when this run is the newest. An upload's object appears only when it completes: the run's reports
            // first, then latest's, summary.json last.
            Reconciler.Outcome outcome = ReportWriter.write(
                    name -> {
                        OutputStream out = open(uploads, prefix + name, name);
                        return newest ? new Tee(out, open(uploads, RunKeys.LATEST + name, name)) : out;
                    },
                    purchase,
                    inventory,
                    invoices,
                    info);
            for (String name : ReportWriter.FILES) {
                complete(uploads, prefix + name);
            }
            // Asked again: a run on newer uploads may have published while this one was writing.
            if (newest && ledger.isNewest(manifest)) {
                for (String name : ReportWriter.FILES) {
                    complete(uploads, RunKeys.LATEST + name);
                }
                ledger.pointLatestAt(manifest, prefix);
            }
            ledger.succeeded(manifest.runId(), manifest.tier(), prefix);
            announce(manifest.runId());
            long runMillis = Duration.between(started, Instant.now()).toMillis();
            try {
                Telemetry.Metrics m = telemetry
                        .metrics(function, manifest.tier(), manifest.runId())
                        .count(MetricNames.ROWS_READ, purchase.rowsRead() + inventory.rowsRead())
                        .count(
                                MetricNames.ROWS_REJECTED,
                                purchase.rejected().size()
                                        + inventory.rejected().size())
                        .none(MetricNames.CHICKEN_LOSS_KG, new BigDecimal(outcome.chickenDiffMilli(), 3).doubleValue())
                        .millis(MetricNames.RUN_DURATION, runMillis)
                        .count(MetricNames.RUNS_SUCCEEDED, 1);
                for (Map.Entry<Status, Long> e : outcome.keysByStatus().entrySet()) {
                    m.count(MetricNames.keys(e.getKey().name()), e.getValue());
                }
                m.flush();
                telemetry.log(
                        function,
                        "run.succeeded",
                        manifest.runId(),
                        Map.of("reports", prefix, "keys", outcome.keys(), "durationMs", runMillis, "latest", newest));
            } catch (RuntimeException e) {
                // The run has succeeded and is published; a telemetry fault must not turn it into a failure.
                System.err.println("tally: telemetry failed after run " + manifest.runId() + " succeeded: " + e);
            }
            return outcome;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            // What did not complete leaves nothing behind; a failed abort must not hide why the run failed.
            for (Map.Entry<String, ObjectStore.Upload> u : uploads.entrySet()) {
                try {
                    u.getValue().abort();
                } catch (RuntimeException e) {
                    System.err.println("tally: could not abort the upload of " + u.getKey() + ": " + e);
                }
            }
        }
    }

    /**
     * Publishes reports another executor wrote to {@code reports/{runId}/} (the Glue job): checks that all
     * are there, then copies them to {@code reports/latest/}, writes {@code status.json} and announces the run,
     * as {@link #publish} does. The metrics come from the run's {@code summary.json}.
     */
    public void promote(Manifest manifest) {
        String prefix = RunKeys.reports(manifest.runId());
        for (String name : ReportWriter.FILES) {
            if (store.head(prefix + name).isEmpty()) {
                ledger.fail(
                        manifest.runId(),
                        manifest.tier(),
                        "the Glue job reported success but " + prefix + name + " is missing");
                return;
            }
        }
        boolean newest = promoteToLatest(manifest, prefix);
        ledger.succeeded(manifest.runId(), manifest.tier(), prefix);
        announce(manifest.runId());
        try {
            var summary = RunJson.MAPPER.readTree(
                    store.get(prefix + ReportWriter.SUMMARY).orElseThrow());
            var rows = summary.path("rows");
            Telemetry.Metrics m = telemetry
                    .metrics(function, manifest.tier(), manifest.runId())
                    .count(
                            MetricNames.ROWS_READ,
                            rows.path("purchase").path("read").asLong()
                                    + rows.path("inventory").path("read").asLong())
                    .count(
                            MetricNames.ROWS_REJECTED,
                            rows.path("purchase").path("rejected").asLong()
                                    + rows.path("inventory").path("rejected").asLong())
                    .none(
                            MetricNames.CHICKEN_LOSS_KG,
                            summary.path("total_diffs").path("chicken_kg").asDouble())
                    .millis(
                            MetricNames.RUN_DURATION,
                            Duration.between(Instant.parse(manifest.createdAt()), Instant.now())
                                    .toMillis())
                    .count(MetricNames.RUNS_SUCCEEDED, 1);
            for (Status s : Status.values()) {
                m.count(
                        MetricNames.keys(s.name()),
                        summary.path("keys").path(s.name()).asLong());
            }
            m.flush();
            telemetry.log(function, "run.succeeded", manifest.runId(), Map.of("reports", prefix, "latest", newest));
        } catch (IOException | RuntimeException e) {
            // The run has succeeded and is published; a telemetry fault must not turn it into a failure.
            telemetry.log(function, "telemetry.failed", manifest.runId(), Map.of("why", e.toString()));
        }
    }

    /**
     * Copies the run's reports to {@code reports/latest/} unless a run on newer data is already there: a slow
     * run on older uploads must not replace a newer one's reports. Returns whether it did.
     */
    private boolean promoteToLatest(Manifest manifest, String prefix) {
        if (!ledger.isNewest(manifest)) {
            return false;
        }
        for (String name : ReportWriter.FILES) {
            store.copy(prefix + name, RunKeys.LATEST + name);
        }
        ledger.pointLatestAt(manifest, prefix);
        return true;
    }

    /** Completes an upload, and only then forgets it: one that fails to complete is still aborted. */
    private static void complete(Map<String, ObjectStore.Upload> uploads, String key) {
        uploads.get(key).complete();
        uploads.remove(key);
    }

    private OutputStream open(Map<String, ObjectStore.Upload> uploads, String key, String name) {
        ObjectStore.Upload upload = store.upload(key, contentType(name));
        uploads.put(key, upload);
        return upload.stream();
    }

    /** Writes to two streams, for a report that goes to the run's prefix and to reports/latest/ at once. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int v) throws IOException {
            a.write(v);
            b.write(v);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }

    /** Tells the publish queue the run succeeded; the run stays a success if that fails (it is logged). */
    private void announce(String runId) {
        completions.ifPresent(q -> {
            try {
                q.send(List.of(new String(RunJson.bytes(new SheetsPublish.Message(runId)), StandardCharsets.UTF_8)));
                telemetry.log(function, "publish.requested", runId, Map.of());
            } catch (RuntimeException e) {
                telemetry.log(function, "publish.request-failed", runId, Map.of("why", e.toString()));
            }
        });
    }

    private RunInfo.InputFile input(Manifest.Source in) {
        return new RunInfo.InputFile("s3://" + store.bucket() + "/" + in.key(), in.size(), "", in.etag());
    }

    private static String contentType(String name) {
        return ReportWriter.contentType(name);
    }
}
