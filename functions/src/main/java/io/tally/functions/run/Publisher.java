package io.tally.functions.run;

import io.tally.names.MetricNames;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.Tier;
import io.tally.storage.run.RunKeys;

import io.tally.core.Reconciler;
import io.tally.core.ReportWriter;
import io.tally.core.RunInfo;
import io.tally.core.Status;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import io.tally.storage.ObjectStore;
import io.tally.functions.obs.Telemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a finished run's reports and status. The reports stream to {@code reports/{runId}/} as they are
 * rendered, as multipart uploads, and to {@code reports/latest/} too when the run is the newest; an upload's
 * object appears only when it completes, so the run's four appear first, then latest's (summary.json last),
 * and only then is {@code status.json} written. A run that fails while its reports are written leaves none
 * of them, and a failed run touches neither {@code reports/latest/} nor its status.
 */
public final class Publisher {
    private final ObjectStore store;
    private final Telemetry telemetry;
    private final java.util.Optional<io.tally.functions.aws.MessageQueue> completions;

    public Publisher(ObjectStore store, Telemetry telemetry) {
        this(store, telemetry, java.util.Optional.empty());
    }

    /** @param completions where a successful run is announced (the Sheets publish queue), if anywhere */
    public Publisher(ObjectStore store, Telemetry telemetry,
            java.util.Optional<io.tally.functions.aws.MessageQueue> completions) {
        this.store = store;
        this.telemetry = telemetry;
        this.completions = completions;
    }

    public Reconciler.Outcome publish(Manifest manifest, TrackerTotals purchase, TrackerTotals inventory,
            String function) {
        Map<String, ObjectStore.Upload> uploads = new LinkedHashMap<>();
        try {
            Manifest.Source p = manifest.source(Tracker.PURCHASE);
            Manifest.Source i = manifest.source(Tracker.INVENTORY);
            Instant started = Instant.parse(manifest.createdAt());
            RunInfo info = new RunInfo(manifest.runId(), input(p), input(i), manifest.tolerances(), manifest.order(),
                    started, manifest.tier().name().toLowerCase(java.util.Locale.ROOT));
            String prefix = RunKeys.reports(manifest.runId());
            boolean newest = isNewest(manifest);
            // The reports stream to S3 as they are rendered, in multipart uploads, and to reports/latest/ too
            // when this run is the newest. An upload's object appears only when it completes: the run's four
            // first, then latest's, summary.json last.
            Reconciler.Outcome outcome = ReportWriter.write(name -> {
                OutputStream out = open(uploads, prefix + name, name);
                return newest ? new Tee(out, open(uploads, RunKeys.LATEST + name, name)) : out;
            }, purchase, inventory, info);
            for (String name : ReportWriter.FILES) {
                complete(uploads, prefix + name);
            }
            // Asked again: a run on newer uploads may have published while this one was writing.
            if (newest && isNewest(manifest)) {
                for (String name : ReportWriter.FILES) {
                    complete(uploads, RunKeys.LATEST + name);
                }
                pointLatestAt(manifest, prefix);
            }
            writeStatus(manifest.runId(), RunStatus.State.SUCCEEDED, manifest.tier(), "", prefix);
            announce(manifest.runId(), function);
            long runMillis = Duration.between(started, Instant.now()).toMillis();
            try {
                Telemetry.Metrics m = telemetry.metrics(function, manifest.tier(), manifest.runId())
                        .count(MetricNames.ROWS_READ, purchase.rowsRead() + inventory.rowsRead())
                        .count(MetricNames.ROWS_REJECTED, purchase.rejected().size() + inventory.rejected().size())
                        .none(MetricNames.CHICKEN_LOSS_KG,
                                new java.math.BigDecimal(outcome.chickenDiffMilli(), 3).doubleValue())
                        .millis(MetricNames.RUN_DURATION, runMillis)
                        .count(MetricNames.RUNS_SUCCEEDED, 1);
                for (Map.Entry<Status, Long> e : outcome.keysByStatus().entrySet()) {
                    m.count(MetricNames.keys(e.getKey().name()), e.getValue());
                }
                m.flush();
                telemetry.log(function, "run.succeeded", manifest.runId(), Map.of("reports", prefix,
                        "keys", outcome.keys(), "durationMs", runMillis, "latest", newest));
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
     * Publishes reports another executor wrote to {@code reports/{runId}/} (the Glue job): checks that all four
     * are there, then copies them to {@code reports/latest/}, writes {@code status.json} and announces the run,
     * as {@link #publish} does. The metrics come from the run's {@code summary.json}.
     */
    public void promote(Manifest manifest, String function) {
        String prefix = RunKeys.reports(manifest.runId());
        for (String name : ReportWriter.FILES) {
            if (store.head(prefix + name).isEmpty()) {
                fail(manifest.runId(), manifest.tier(), "the Glue job reported success but " + prefix + name
                        + " is missing", function);
                return;
            }
        }
        boolean newest = promoteToLatest(manifest, prefix);
        writeStatus(manifest.runId(), RunStatus.State.SUCCEEDED, manifest.tier(), "", prefix);
        announce(manifest.runId(), function);
        try {
            var summary = Json.MAPPER.readTree(store.get(prefix + ReportWriter.SUMMARY).orElseThrow());
            var rows = summary.path("rows");
            Telemetry.Metrics m = telemetry.metrics(function, manifest.tier(), manifest.runId())
                    .count(MetricNames.ROWS_READ,
                            rows.path("purchase").path("read").asLong() + rows.path("inventory").path("read").asLong())
                    .count(MetricNames.ROWS_REJECTED, rows.path("purchase").path("rejected").asLong()
                            + rows.path("inventory").path("rejected").asLong())
                    .none(MetricNames.CHICKEN_LOSS_KG, summary.path("total_diffs").path("chicken_kg").asDouble())
                    .millis(MetricNames.RUN_DURATION,
                            Duration.between(Instant.parse(manifest.createdAt()), Instant.now()).toMillis())
                    .count(MetricNames.RUNS_SUCCEEDED, 1);
            for (Status s : Status.values()) {
                m.count(MetricNames.keys(s.name()), summary.path("keys").path(s.name()).asLong());
            }
            m.flush();
            telemetry.log(function, "run.succeeded", manifest.runId(), Map.of("reports", prefix, "latest", newest));
        } catch (java.io.IOException | RuntimeException e) {
            // The run has succeeded and is published; a telemetry fault must not turn it into a failure.
            telemetry.log(function, "telemetry.failed", manifest.runId(), Map.of("why", e.toString()));
        }
    }

    /**
     * Copies the run's reports to {@code reports/latest/} unless a run on newer data is already there: a slow
     * run on older uploads must not replace a newer one's reports. Returns whether it did.
     */
    private boolean promoteToLatest(Manifest manifest, String prefix) {
        if (!isNewest(manifest)) {
            return false;
        }
        for (String name : ReportWriter.FILES) {
            store.copy(prefix + name, RunKeys.LATEST + name);
        }
        pointLatestAt(manifest, prefix);
        return true;
    }

    /** Whether this run's uploads are at least as new as those of the run in reports/latest/. */
    private boolean isNewest(Manifest manifest) {
        Optional<Latest> current = store.get(RunKeys.LATEST_POINTER).map(b -> Json.read(b, Latest.class));
        if (current.isPresent() && Instant.parse(current.get().dataTime()).isAfter(manifest.dataTime())) {
            telemetry.log("publisher", "latest.kept", manifest.runId(), Map.of("why", "run " + current.get().runId()
                    + " in reports/latest/ is on newer uploads"));
            return false;
        }
        return true;
    }

    private void pointLatestAt(Manifest manifest, String prefix) {
        store.put(RunKeys.LATEST_POINTER, Json.bytes(new Latest(manifest.runId(), manifest.dataTime().toString(),
                prefix)), "application/json");
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
    private void announce(String runId, String function) {
        completions.ifPresent(q -> {
            try {
                q.send(java.util.List.of(new String(Json.bytes(new io.tally.functions.sheets.SheetsPublish.Message(runId)),
                        java.nio.charset.StandardCharsets.UTF_8)));
                telemetry.log(function, "publish.requested", runId, Map.of());
            } catch (RuntimeException e) {
                telemetry.log(function, "publish.request-failed", runId, Map.of("why", e.toString()));
            }
        });
    }

    /** {@code reports/latest.json}. */
    public record Latest(String runId, String dataTime, String reports) {}

    /**
     * Marks a run failed with its reason, as Tally's or its infrastructure's fault; reports/latest/ stays as
     * it was. A run that already succeeded (a late duplicate failing after the run was published) keeps its
     * SUCCEEDED status.
     */
    public void fail(String runId, Tier tier, String reason, String function) {
        fail(runId, tier, reason, function, RunStatus.Fault.INTERNAL);
    }

    /** As {@link #fail}, for a fault in the input: an unreadable tracker, or one replaced mid-run. */
    public void failInput(String runId, Tier tier, String reason, String function) {
        fail(runId, tier, reason, function, RunStatus.Fault.INPUT);
    }

    private void fail(String runId, Tier tier, String reason, String function, RunStatus.Fault fault) {
        Optional<RunStatus> now = store.get(RunKeys.status(runId)).map(b -> Json.read(b, RunStatus.class));
        if (now.isPresent() && now.get().state() == RunStatus.State.SUCCEEDED) {
            telemetry.log(function, "failure.ignored", runId, Map.of("why", "the run already succeeded",
                    "reason", reason));
            return;
        }
        store.put(RunKeys.status(runId), Json.bytes(new RunStatus(runId, RunStatus.State.FAILED, tier, reason, "",
                Instant.now().toString(), fault)), "application/json");
        markRunning(runId, false);
        telemetry.metrics(function, tier, runId).count(MetricNames.RUNS_FAILED, 1).flush();
        telemetry.log(function, "run.failed", runId, Map.of("reason", reason, "fault", fault.name()));
    }

    public void writeStatus(String runId, RunStatus.State state, Tier tier, String reason, String reports) {
        if (state == RunStatus.State.RUNNING) {
            markRunning(runId, true);
        }
        store.put(RunKeys.status(runId), Json.bytes(new RunStatus(runId, state, tier, reason, reports,
                Instant.now().toString())), "application/json");
        if (state != RunStatus.State.RUNNING) {
            markRunning(runId, false);
        }
    }

    /**
     * Records activity on a running run: its marker's last-modified time is what the watchdog judges
     * stalls by, so it reads no run's objects.
     */
    public void touch(String runId) {
        markRunning(runId, true);
    }

    /** Adds or removes the run's marker under {@code runs/_running/}; the status stays the truth. */
    private void markRunning(String runId, boolean running) {
        try {
            if (running) {
                store.put(RunKeys.running(runId), new byte[0], "text/plain");
            } else {
                store.delete(RunKeys.running(runId));
            }
        } catch (RuntimeException e) {
            // A stale marker costs the watchdog one status read, and it removes it; never fail a run over it.
            telemetry.log("publisher", "marker.failed", runId, Map.of("why", e.toString()));
        }
    }

    private RunInfo.InputFile input(Manifest.Source in) {
        return new RunInfo.InputFile("s3://" + store.bucket() + "/" + in.key(), in.size(), "", in.etag());
    }

    private static String contentType(String name) {
        return name.endsWith(".json") ? "application/json" : "text/csv; charset=utf-8";
    }
}
