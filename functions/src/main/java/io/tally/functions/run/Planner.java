package io.tally.functions.run;

import io.tally.core.ByteSource;
import io.tally.core.Engine;
import io.tally.core.InputFault;
import io.tally.core.Invoices;
import io.tally.core.Layout;
import io.tally.core.RangePlan;
import io.tally.core.Reconcile;
import io.tally.core.RunId;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import io.tally.functions.Functions;
import io.tally.functions.FunctionsConfig;
import io.tally.functions.aws.MessageQueue;
import io.tally.functions.glue.GlueLauncher;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.sheets.SheetsExport;
import io.tally.names.Env;
import io.tally.names.MetricNames;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ByteSource;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reacts to an upload: finds the newest object of each tracker, names the run after both objects' keys
 * and ETags, and plans it once. The tier is chosen by total size: small runs are reconciled right here,
 * larger ones are cut into byte ranges (core's {@link RangePlan}) and sent to the chunk workers through SQS.
 */
public final class Planner {
    static final String FUNCTION = Functions.PLANNER;

    /** What an upload led to. */
    public enum Outcome {
        IGNORED,
        WAITING,
        STARTED,
        EXISTS,
        RESUMED,
        FAILED,
        SUCCEEDED
    }

    /** The outcome of an upload and the run it concerns (empty when there is none). */
    public record Planned(String key, Outcome outcome, String runId) {}

    private final FunctionsConfig config;
    private final RunLedger ledger;
    private final ObjectStore store;
    private final MessageQueue queue;
    private final Publisher publisher;
    private final ReduceRequest reduce;
    private final Telemetry telemetry;
    private final Optional<GlueLauncher> glue;

    public Planner(
            FunctionsConfig config,
            RunLedger ledger,
            MessageQueue queue,
            ReduceRequest reduce,
            Publisher publisher,
            Optional<GlueLauncher> glue,
            Telemetry telemetry) {
        this.glue = glue;
        this.config = config;
        this.ledger = ledger;
        this.store = ledger.store();
        this.queue = queue;
        this.reduce = reduce;
        this.publisher = publisher;
        this.telemetry = telemetry;
    }

    /** Handles an object created at {@code key}. */
    public Planned onUpload(String key) {
        Optional<Tracker> uploaded = trackerOf(key);
        if (uploaded.isEmpty()) {
            telemetry.log(
                    FUNCTION,
                    "upload.ignored",
                    "",
                    Map.of("key", key, "why", "not under incoming/purchase/ " + "or incoming/inventory/"));
            return new Planned(key, Outcome.IGNORED, "");
        }
        Map<Tracker, ObjectStore.Info> newest = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            Optional<ObjectStore.Info> n = store.list(RunKeys.incoming(t)).stream()
                    .filter(o -> isDirectChild(RunKeys.incoming(t), o.key()))
                    .max(Comparator.comparing(ObjectStore.Info::lastModified).thenComparing(ObjectStore.Info::key));
            if (n.isEmpty()) {
                telemetry.log(FUNCTION, "upload.waiting", "", Map.of("key", key, "waitingFor", t.label()));
                return new Planned(key, Outcome.WAITING, "");
            }
            newest.put(t, n.get());
        }
        Optional<String> moving = exportMoving();
        if (moving.isPresent()) {
            telemetry.log(FUNCTION, "upload.waiting", "", Map.of("key", key, "waitingFor", moving.get()));
            return new Planned(key, Outcome.WAITING, "");
        }
        String runId = runId(newest.get(Tracker.PURCHASE), newest.get(Tracker.INVENTORY));
        Optional<RunStatus> status = ledger.status(runId);
        Optional<Manifest> existing = ledger.findManifest(runId);
        if (existing.isPresent()) {
            if (status.isPresent() && status.get().state() == RunStatus.State.FAILED) {
                return new Planned(key, resume(existing.get()), runId);
            }
            telemetry.log(
                    FUNCTION,
                    "run.exists",
                    runId,
                    Map.of(
                            "key",
                            key,
                            "state",
                            status.map(s -> s.state().name()).orElse("PLANNED")));
            return new Planned(key, Outcome.EXISTS, runId);
        }
        return new Planned(key, plan(runId, newest), runId);
    }

    private Outcome plan(String runId, Map<Tracker, ObjectStore.Info> objects) {
        long total = objects.values().stream().mapToLong(ObjectStore.Info::size).sum();
        Tier tier = config.forceTier()
                .orElse(
                        total < config.inlineMaxBytes()
                                ? Tier.INLINE
                                : total >= config.glueMinBytes() ? Tier.GLUE : Tier.FANOUT);
        if (tier == Tier.GLUE && glue.isEmpty()) {
            telemetry.log(
                    FUNCTION,
                    "tier.glue-unavailable",
                    runId,
                    Map.of(
                            "bytes",
                            total,
                            "why",
                            "no Glue job is configured (" + Env.GLUE_JOB_NAME + "); fanning out instead"));
            tier = Tier.FANOUT;
        }
        List<Manifest.Source> sources = new ArrayList<>();
        Map<Tracker, Layout> layouts = new EnumMap<>(Tracker.class);
        try {
            Map<Tracker, S3ByteSource> bytes = new EnumMap<>(Tracker.class);
            for (Tracker t : Tracker.values()) {
                ObjectStore.Info o = objects.get(t);
                bytes.put(t, new S3ByteSource(store, o.key(), o.etag(), o.size()));
                sources.add(new Manifest.Source(
                        t, o.key(), o.etag(), o.size(), o.lastModified().toString()));
            }
            layouts.putAll(Layout.detectBoth(bytes.get(Tracker.PURCHASE), bytes.get(Tracker.INVENTORY)));
        } catch (InputFault e) {
            // No manifest: the inputs cannot be planned. The status says why; a re-upload fails the same way.
            ledger.failInput(runId, tier, e.getMessage());
            return Outcome.FAILED;
        }
        Layout p = layouts.get(Tracker.PURCHASE);
        Layout i = layouts.get(Tracker.INVENTORY);
        RangePlan rangePlan = tier == Tier.INLINE
                ? RangePlan.forThreads(p, i, config.threads())
                : RangePlan.cut(p, i, config.rangeBytes());
        Manifest manifest = new Manifest(
                Manifest.VERSION,
                runId,
                Instant.now().toString(),
                tier,
                config.tolerances().kg().toPlainString(),
                config.tolerances().pct().toPlainString(),
                config.dateOrder().cliName(),
                sources,
                rangePlan);
        if (!ledger.createManifest(manifest)) {
            telemetry.log(FUNCTION, "run.exists", runId, Map.of("why", "another invocation planned it first"));
            return Outcome.EXISTS;
        }
        try {
            ledger.running(runId, tier);
            telemetry.log(
                    FUNCTION,
                    "run.planned",
                    runId,
                    Map.of("tier", tier.name(), "bytes", total, "ranges", manifest.rangeCount()));
            telemetry
                    .metrics(FUNCTION, tier, runId)
                    .bytes(MetricNames.INPUT_BYTES, total)
                    .count(MetricNames.RANGES, manifest.rangeCount())
                    .flush();
            if (tier == Tier.GLUE) {
                return startGlue(manifest);
            }
            return tier == Tier.INLINE
                    ? inline(manifest)
                    : fanOut(
                            manifest,
                            manifest.plan().inputs().stream()
                                    .flatMap(in -> in.ranges().stream())
                                    .map(r -> new RangeMessage(runId, r))
                                    .toList());
        } catch (RuntimeException e) {
            // The manifest exists, so a retried event would only find the run: fail it, so a re-run resumes it.
            ledger.fail(runId, tier, "planning failed after the manifest was written: " + e);
            throw e;
        }
    }

    /**
     * Hands the run to the Glue job: starts it with the run's location, records the job run in the manifest and
     * under {@code runs/_glue/} (a state-change event names only the job run), and waits for that event.
     */
    private Outcome startGlue(Manifest manifest) {
        String runId = manifest.runId();
        try {
            String jobRunId = glue.orElseThrow().start(store.bucket(), runId);
            ledger.recordGlueJobRun(jobRunId, runId);
            ledger.replaceManifest(manifest.withGlueJobRun(jobRunId));
            telemetry.log(FUNCTION, "glue.started", runId, Map.of("jobRunId", jobRunId));
            return Outcome.STARTED;
        } catch (GlueLauncher.NotStarted e) {
            ledger.fail(runId, Tier.GLUE, e.getMessage());
            return Outcome.FAILED;
        }
    }

    private Outcome inline(Manifest manifest) {
        try {
            Map<Tracker, ByteSource> sources = manifest.byteSources(store);
            Reconcile run = new Reconcile(manifest.order());
            Map<Tracker, TrackerTotals> totals = new Engine(config.threads(), 0, run)
                    .read(
                            manifest.plan(),
                            sources.get(Tracker.PURCHASE),
                            sources.get(Tracker.INVENTORY),
                            Engine.Progress.NONE);
            try (Invoices invoices = run.invoices(totals, sources, manifest.tolerances(), config.threads())) {
                publisher.publish(manifest, totals.get(Tracker.PURCHASE), totals.get(Tracker.INVENTORY), invoices);
            }
            return Outcome.SUCCEEDED;
        } catch (InputFault e) {
            ledger.failInput(manifest.runId(), manifest.tier(), e.getMessage());
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            ledger.fail(manifest.runId(), manifest.tier(), "the inline run failed: " + e);
            return Outcome.FAILED;
        }
    }

    private Outcome fanOut(Manifest manifest, List<RangeMessage> messages) {
        queue.send(messages.stream().map(Json::text).toList());
        telemetry.log(FUNCTION, "ranges.sent", manifest.runId(), Map.of("messages", messages.size()));
        if (messages.isEmpty()) {
            reduce.request(manifest.runId());
        }
        return Outcome.STARTED;
    }

    /**
     * Re-runs a failed run after a fix: the ranges whose partials already exist are kept, the others are
     * sent again; with nothing left to read, it reduces right away.
     */
    private Outcome resume(Manifest manifest) {
        String runId = manifest.runId();
        ledger.clearStaleLocks(runId);
        ledger.running(runId, manifest.tier());
        if (manifest.tier() == Tier.INLINE) {
            // Inline runs finish here: say how the re-run ended, not merely that it was tried.
            return inline(manifest) == Outcome.SUCCEEDED ? Outcome.RESUMED : Outcome.FAILED;
        }
        if (manifest.tier() == Tier.GLUE) {
            if (glue.isEmpty()) {
                ledger.fail(
                        runId,
                        Tier.GLUE,
                        "the run needs the Glue job, and none is configured (" + Env.GLUE_JOB_NAME + ")");
                return Outcome.FAILED;
            }
            return startGlue(manifest) == Outcome.STARTED ? Outcome.RESUMED : Outcome.FAILED;
        }
        Set<String> done = store.list(RunKeys.partials(runId)).stream()
                .map(ObjectStore.Info::key)
                .collect(Collectors.toSet());
        List<RangeMessage> missing = manifest.plan().inputs().stream()
                .flatMap(in -> in.ranges().stream())
                .filter(r -> !done.contains(RunKeys.partial(runId, r)))
                .map(r -> new RangeMessage(runId, r))
                .toList();
        telemetry.log(
                FUNCTION,
                "run.resumed",
                runId,
                Map.of("rangesKept", manifest.rangeCount() - missing.size(), "rangesSent", missing.size()));
        fanOut(manifest, missing);
        return Outcome.RESUMED;
    }

    /** The run id: a hash of both objects' keys and ETags and the options, 16 hex digits. */
    String runId(ObjectStore.Info purchase, ObjectStore.Info inventory) {
        return RunId.of(
                List.of(purchase.key(), purchase.etag(), inventory.key(), inventory.etag()),
                config.tolerances(),
                config.dateOrder());
    }

    /**
     * The tracker a Sheets export is still moving into {@code incoming/}, if any: while {@code exports/moving.json}
     * names a key whose object is older than the move, the run would pair a new tracker with an old one, so the
     * planner waits for the last one to arrive (its own upload event plans the run). A marker older than
     * {@link io.tally.functions.sheets.SheetsExport#MOVE_STALE} was left by an export that died, and is ignored.
     */
    private Optional<String> exportMoving() {
        Optional<SheetsExport.Moving> m =
                store.get(RunKeys.EXPORT_MOVING).map(b -> Json.read(b, SheetsExport.Moving.class));
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Instant at = Instant.parse(m.get().at());
        if (at.plus(SheetsExport.MOVE_STALE).isBefore(Instant.now())) {
            telemetry.log(
                    FUNCTION,
                    "export.move-stale",
                    "",
                    Map.of(
                            "exportId",
                            m.get().exportId(),
                            "since",
                            at.toString(),
                            "why",
                            "an export began moving its trackers and never finished; planning on what is there"));
            return Optional.empty();
        }
        for (String key : m.get().keys()) {
            boolean arrived =
                    store.head(key).map(o -> !o.lastModified().isBefore(at)).orElse(false);
            if (!arrived) {
                return Optional.of(key + " (export " + m.get().exportId() + ")");
            }
        }
        return Optional.empty();
    }

    static Optional<Tracker> trackerOf(String key) {
        for (Tracker t : Tracker.values()) {
            if (isDirectChild(RunKeys.incoming(t), key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** True for {@code incoming/purchase/x.csv}, false for the folder itself and for {@code .../archive/x.csv}. */
    static boolean isDirectChild(String prefix, String key) {
        return key.startsWith(prefix) && key.length() > prefix.length() && key.indexOf('/', prefix.length()) < 0;
    }
}
