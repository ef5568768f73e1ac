package io.tally.functions.run;

import io.tally.core.Tracker;
import io.tally.functions.FunctionsConfig;
import io.tally.functions.aws.ObjectStore;
import io.tally.functions.obs.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Runs on a schedule and reports what has gone missing: runs that never finished, and trackers that
 * stopped arriving. It always emits both metrics (zero included) so alarms have data to judge.
 */
public final class Watchdog {
    static final String FUNCTION = "watchdog";

    /** What one check found. */
    public record Findings(int stalledRuns, double hoursSinceUpload) {}

    private final FunctionsConfig config;
    private final ObjectStore store;
    private final Telemetry telemetry;
    private final Publisher publisher;

    public Watchdog(FunctionsConfig config, ObjectStore store, Telemetry telemetry) {
        this.config = config;
        this.store = store;
        this.telemetry = telemetry;
        this.publisher = new Publisher(store, telemetry);
    }

    public Findings check(Instant now) {
        int stalled = 0;
        for (ObjectStore.Info o : store.list("runs/")) {
            if (!o.key().endsWith("/status.json")) {
                continue;
            }
            RunStatus s = Json.read(store.get(o.key()).orElseThrow(), RunStatus.class);
            if (s.state() != RunStatus.State.RUNNING) {
                continue;
            }
            // Last sign of life: the status, or any partial, lock or error written since.
            Instant last = store.list(RunKeys.run(s.runId())).stream()
                    .filter(x -> !x.key().equals(RunKeys.status(s.runId()))).map(ObjectStore.Info::lastModified)
                    .max(Comparator.naturalOrder()).filter(t -> t.isAfter(Instant.parse(s.updatedAt())))
                    .orElse(Instant.parse(s.updatedAt()));
            Duration idle = Duration.between(last, now);
            if (idle.toMinutes() >= config.stallMinutes()) {
                stalled++;
                telemetry.log(FUNCTION, "run.stalled", s.runId(), Map.of("idleMinutes", idle.toMinutes()));
                // Failing it lets a re-upload or a dead-letter redrive resume it (and clears a dead reducer's lock).
                publisher.fail(s.runId(), s.tier(), "stalled: no progress for " + idle.toMinutes()
                        + " minutes (last activity " + last + "); upload the trackers again or redrive the "
                        + "dead-letter queue to resume it", FUNCTION);
            }
        }
        double hours = Double.POSITIVE_INFINITY;
        for (Tracker t : Tracker.values()) {
            Optional<Instant> newest = store.list(RunKeys.incoming(t)).stream().map(ObjectStore.Info::lastModified)
                    .max(Comparator.naturalOrder());
            double h = newest.map(i -> Duration.between(i, now).toMinutes() / 60.0).orElse(Double.POSITIVE_INFINITY);
            if (h >= config.maxUploadAgeHours()) {
                telemetry.log(FUNCTION, "input.missing", "", Map.of("tracker", t.label(),
                        "hoursSinceUpload", Double.isInfinite(h) ? "never" : h));
            }
            hours = Math.min(hours, h);
        }
        double reported = Double.isInfinite(hours) ? 24 * 365 : hours;
        telemetry.metrics(FUNCTION, Tier.FANOUT, "").count("StalledRuns", stalled).none("HoursSinceUpload", reported)
                .flush();
        return new Findings(stalled, reported);
    }
}
