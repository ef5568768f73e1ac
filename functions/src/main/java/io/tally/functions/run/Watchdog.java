package io.tally.functions.run;

import io.tally.core.Tracker;
import io.tally.functions.Functions;
import io.tally.functions.FunctionsConfig;
import io.tally.functions.glue.GlueLauncher;
import io.tally.functions.glue.GlueState;
import io.tally.functions.obs.Telemetry;
import io.tally.names.MetricNames;
import io.tally.storage.ObjectStore;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;

/**
 * Runs on a schedule and reports what has gone missing: runs that never finished, and trackers that
 * stopped arriving. It always emits both metrics (zero included) so alarms have data to judge.
 */
public final class Watchdog {
    static final String FUNCTION = Functions.WATCHDOG;
    /** What a tracker that never arrived reports: a year, so any threshold fires. */
    static final double NEVER_HOURS = 24 * 365;

    /**
     * What one check found.
     *
     * @param stalledRuns       runs failed for want of progress
     * @param hoursSinceUpload  hours since the older of the two trackers' newest uploads: a stalled feed shows
     *                          however fresh the other is
     * @param byTracker         each tracker's hours since its newest upload (a year when it never arrived)
     */
    public record Findings(int stalledRuns, double hoursSinceUpload, Map<Tracker, Double> byTracker) {}

    private final FunctionsConfig config;
    private final RunLedger ledger;
    private final ObjectStore store;
    private final Telemetry telemetry;

    private final Optional<GlueLauncher> glue;
    private final Optional<GlueState> glueFinish;

    public Watchdog(FunctionsConfig config, RunLedger ledger, Telemetry telemetry) {
        this(config, ledger, telemetry, Optional.empty(), Optional.empty());
    }

    /** With Glue: a GLUE-tier run is judged by what Glue says of its job run, not by the marker's age. */
    public Watchdog(
            FunctionsConfig config,
            RunLedger ledger,
            Telemetry telemetry,
            Optional<GlueLauncher> glue,
            Optional<GlueState> glueFinish) {
        this.config = config;
        this.ledger = ledger;
        this.store = ledger.store();
        this.telemetry = telemetry;
        this.glue = glue;
        this.glueFinish = glueFinish;
    }

    public Findings check(Instant now) {
        int stalled = 0;
        // Only runs marked RUNNING are looked at, and a marker's last-modified time is the run's last sign of
        // life (the planner, each worker and the reducer touch it): no run's objects are listed.
        for (RunLedger.Marker marker : ledger.runningMarkers()) {
            Duration idle = Duration.between(marker.lastActive(), now);
            if (idle.toMinutes() < config.stallMinutes()) {
                continue;
            }
            String runId = marker.runId();
            Optional<RunStatus> status = ledger.status(runId);
            if (status.isEmpty() || status.get().state() != RunStatus.State.RUNNING) {
                ledger.dropMarker(runId); // the run ended but its marker stayed: tidy it
                continue;
            }
            RunStatus s = status.get();
            if (s.tier() == Tier.GLUE && glue.isPresent() && glueRunHandled(runId)) {
                continue;
            }
            Instant last = Instant.parse(s.updatedAt()).isAfter(marker.lastActive())
                    ? Instant.parse(s.updatedAt())
                    : marker.lastActive();
            idle = Duration.between(last, now);
            if (idle.toMinutes() >= config.stallMinutes()) {
                stalled++;
                telemetry.log(FUNCTION, "run.stalled", s.runId(), Map.of("idleMinutes", idle.toMinutes()));
                // Failing it lets a re-upload or a dead-letter redrive resume it (and clears a dead reducer's lock).
                ledger.fail(
                        s.runId(),
                        s.tier(),
                        "stalled: no progress for " + idle.toMinutes()
                                + " minutes (last activity " + last + "); upload the trackers again or redrive the "
                                + "dead-letter queue to resume it");
            }
        }
        return findings(stalled, now);
    }

    /**
     * A Glue job runs for hours without touching the marker: ask Glue. A job run still going counts as activity;
     * one that ended without its event reaching Tally is finished now, as the event would have.
     */
    private boolean glueRunHandled(String runId) {
        Optional<Manifest> manifest = ledger.findManifest(runId);
        if (manifest.isEmpty() || manifest.get().glueJobRunId().isEmpty()) {
            return false;
        }
        String jobRunId = manifest.get().glueJobRunId();
        GlueLauncher.RunState state;
        try {
            state = glue.get().state(jobRunId);
        } catch (EntityNotFoundException e) {
            // Glue no longer knows the job run (its history is kept 90 days): the stall rule decides.
            telemetry.log(FUNCTION, "glue.run-unknown", runId, Map.of("jobRunId", jobRunId, "why", e.getMessage()));
            return false;
        } catch (SdkException e) {
            // Throttled, denied or unreachable: ask again next time; the other runs are still checked.
            telemetry.log(FUNCTION, "glue.check-failed", runId, Map.of("jobRunId", jobRunId, "why", e.toString()));
            return true;
        }
        if (state.finished()) {
            telemetry.log(FUNCTION, "glue.event-missed", runId, Map.of("jobRunId", jobRunId, "state", state.state()));
            glueFinish.orElseThrow().onStateChange(jobRunId, state.state(), state.message());
        } else {
            ledger.touch(runId);
        }
        return true;
    }

    private Findings findings(int stalled, Instant now) {
        double hours = 0;
        Map<Tracker, Double> byTracker = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            Optional<Instant> newest = store.list(RunKeys.incoming(t)).stream()
                    .map(ObjectStore.Info::lastModified)
                    .max(Comparator.naturalOrder());
            double h =
                    newest.map(i -> Duration.between(i, now).toMinutes() / 60.0).orElse(Double.POSITIVE_INFINITY);
            if (h >= config.maxUploadAgeHours()) {
                telemetry.log(
                        FUNCTION,
                        "input.missing",
                        "",
                        Map.of("tracker", t.label(), "hoursSinceUpload", Double.isInfinite(h) ? "never" : h));
            }
            double reportedHours = Double.isInfinite(h) ? NEVER_HOURS : h;
            byTracker.put(t, reportedHours);
            hours = Math.max(hours, reportedHours);
        }
        telemetry
                .metrics(FUNCTION, Tier.FANOUT, "")
                .count(MetricNames.STALLED_RUNS, stalled)
                .none(MetricNames.HOURS_SINCE_UPLOAD, hours)
                .none(MetricNames.HOURS_SINCE_PURCHASE_UPLOAD, byTracker.get(Tracker.PURCHASE))
                .none(MetricNames.HOURS_SINCE_INVENTORY_UPLOAD, byTracker.get(Tracker.INVENTORY))
                .flush();
        return new Findings(stalled, hours, Map.copyOf(byTracker));
    }
}
