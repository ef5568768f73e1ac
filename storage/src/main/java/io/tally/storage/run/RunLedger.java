package io.tally.storage.run;

import io.tally.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place that reads and writes a run's state in the bucket: its manifest (cached per container), its
 * status (FAILED never replaces SUCCEEDED), its running marker (what the watchdog judges stalls by), the reduce
 * request lock and the reducers' leases, the Glue job run it waits on, and {@code reports/latest.json}. Nothing
 * else builds those keys or parses those files. One ledger serves one function, named once when it is built, so
 * that what it writes and logs says who did it.
 */
public final class RunLedger {
    /** A Lambda invocation lives at most this long: a lock older than that belongs to a dead invocation. */
    public static final Duration LAMBDA_MAX_LIFETIME = Duration.ofMinutes(15);

    /** What the ledger tells of what it did: log lines, and each run it failed (for the failure metric). */
    public interface Events {
        void log(String event, String runId, Map<String, ?> fields);

        void failed(String runId, Tier tier, RunStatus.Fault fault);

        /** Events that go nowhere, for tools and tests that only read. */
        Events NONE = new Events() {
            @Override
            public void log(String event, String runId, Map<String, ?> fields) {}

            @Override
            public void failed(String runId, Tier tier, RunStatus.Fault fault) {}
        };
    }

    private final ObjectStore store;
    private final String function;
    private final Events events;
    /** The last few manifests read or written, so a warm container does not fetch one per message. */
    private final Map<String, Manifest> manifests = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Manifest> eldest) {
            return size() > 8;
        }
    };

    public RunLedger(ObjectStore store, String function, Events events) {
        this.store = store;
        this.function = function;
        this.events = events;
    }

    /** The function this ledger writes for. */
    public String function() {
        return function;
    }

    public ObjectStore store() {
        return store;
    }

    // ---- the manifest -----------------------------------------------------------------------------------

    /** The run's manifest, if it was planned. A manifest, once read, is served from this container's cache. */
    public Optional<Manifest> findManifest(String runId) {
        synchronized (manifests) {
            Manifest cached = manifests.get(runId);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<Manifest> read = store.get(RunKeys.manifest(runId)).map(b -> RunJson.read(b, Manifest.class));
        read.ifPresent(this::cache);
        return read;
    }

    /** The run's manifest; a run without one is a bug or a message from elsewhere. */
    public Manifest manifest(String runId) {
        return findManifest(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no manifest"));
    }

    /** Writes the run's first manifest, unless another invocation planned it first; returns whether this did. */
    public boolean createManifest(Manifest manifest) {
        boolean created =
                store.putIfAbsent(RunKeys.manifest(manifest.runId()), RunJson.bytes(manifest), "application/json");
        if (created) {
            cache(manifest);
        }
        return created;
    }

    /** Replaces the run's manifest (to record the Glue job run it waits on). */
    public void replaceManifest(Manifest manifest) {
        store.put(RunKeys.manifest(manifest.runId()), RunJson.bytes(manifest), "application/json");
        cache(manifest);
    }

    private void cache(Manifest manifest) {
        synchronized (manifests) {
            manifests.put(manifest.runId(), manifest);
        }
    }

    // ---- the status and the running marker -----------------------------------------------------------------

    public Optional<RunStatus> status(String runId) {
        return store.get(RunKeys.status(runId)).map(b -> RunJson.read(b, RunStatus.class));
    }

    public boolean succeeded(String runId) {
        return status(runId).filter(s -> s.state() == RunStatus.State.SUCCEEDED).isPresent();
    }

    /** The run is under way: its status, and its marker for the watchdog. */
    public void running(String runId, Tier tier) {
        marker(runId, true);
        putStatus(new RunStatus(
                runId, RunStatus.State.RUNNING, tier, "", "", Instant.now().toString()));
    }

    /** The run succeeded with its reports at {@code reports}; its marker goes. */
    public void succeeded(String runId, Tier tier, String reports) {
        putStatus(new RunStatus(
                runId,
                RunStatus.State.SUCCEEDED,
                tier,
                "",
                reports,
                Instant.now().toString()));
        marker(runId, false);
    }

    /**
     * Marks the run failed with its reason; a run that already succeeded (a late duplicate failing after the run
     * was published) keeps its SUCCEEDED status. Returns whether the failure was written.
     */
    public boolean fail(String runId, Tier tier, String reason, RunStatus.Fault fault) {
        Optional<RunStatus> now = status(runId);
        if (now.isPresent() && now.get().state() == RunStatus.State.SUCCEEDED) {
            events.log("failure.ignored", runId, Map.of("why", "the run already succeeded", "reason", reason));
            return false;
        }
        putStatus(new RunStatus(
                runId, RunStatus.State.FAILED, tier, reason, "", Instant.now().toString(), fault));
        marker(runId, false);
        events.failed(runId, tier, fault);
        events.log("run.failed", runId, Map.of("reason", reason, "fault", fault.name()));
        return true;
    }

    /** As {@link #fail}, as Tally's or its infrastructure's fault. */
    public boolean fail(String runId, Tier tier, String reason) {
        return fail(runId, tier, reason, RunStatus.Fault.INTERNAL);
    }

    /** As {@link #fail}, for a fault in the input: an unreadable tracker, or one replaced mid-run. */
    public boolean failInput(String runId, Tier tier, String reason) {
        return fail(runId, tier, reason, RunStatus.Fault.INPUT);
    }

    private void putStatus(RunStatus status) {
        store.put(RunKeys.status(status.runId()), RunJson.bytes(status), "application/json");
    }

    /**
     * Records activity on a running run: its marker's last-modified time is what the watchdog judges stalls by,
     * so it reads no run's objects.
     */
    public void touch(String runId) {
        marker(runId, true);
    }

    /** The markers of the runs that are under way, each with when it last showed activity. */
    public List<Marker> runningMarkers() {
        List<Marker> out = new ArrayList<>();
        for (ObjectStore.Info i : store.list(RunKeys.RUNNING)) {
            out.add(new Marker(i.key().substring(RunKeys.RUNNING.length()), i.lastModified()));
        }
        return out;
    }

    /** A running marker: the run, and its last sign of life. */
    public record Marker(String runId, Instant lastActive) {}

    /** Removes a marker the run left behind when it ended. */
    public void dropMarker(String runId) {
        marker(runId, false);
    }

    private void marker(String runId, boolean running) {
        try {
            if (running) {
                store.put(RunKeys.running(runId), new byte[0], "text/plain");
            } else {
                store.delete(RunKeys.running(runId));
            }
        } catch (RuntimeException e) {
            // A stale marker costs the watchdog one status read, and it removes it; never fail a run over it.
            events.log("marker.failed", runId, Map.of("why", e.toString()));
        }
    }

    // ---- the reduce request lock and the reducers' leases ----------------------------------------------------

    /** Takes {@code runs/{runId}/_reduce}, the right to send the run's one reduce message; false if taken. */
    public boolean takeReduceRequest(String runId) {
        return store.putIfAbsent(RunKeys.reduceLock(runId), token(), "text/plain");
    }

    /** Lets the reduce request lock go, so that a retried range or a resume can request the reduce again. */
    public void releaseReduceRequest(String runId) {
        release(RunKeys.reduceLock(runId), runId);
    }

    /**
     * Takes the next lease generation ({@code _reducing.1}, then {@code _reducing.2} taken over from a holder that
     * died), unless the newest one is younger than a Lambda can live (its holder may be working). Of several
     * callers, at most one creates a given generation. Returns the lease's key.
     */
    public Optional<String> takeLease(String runId) {
        String prefix = RunKeys.reducingLeases(runId);
        int newest = 0;
        Instant newestAt = Instant.EPOCH;
        for (ObjectStore.Info lease : store.list(prefix)) {
            try {
                int g = Integer.parseInt(lease.key().substring(prefix.length()));
                if (g > newest) {
                    newest = g;
                    newestAt = lease.lastModified();
                }
            } catch (NumberFormatException e) {
                // not a lease of this scheme: ignore it
            }
        }
        if (newest > 0 && newestAt.isAfter(Instant.now().minus(LAMBDA_MAX_LIFETIME))) {
            return Optional.empty();
        }
        String key = RunKeys.reducingLease(runId, newest + 1);
        if (newest > 0) {
            events.log("lease.taken-over", runId, Map.of("from", prefix + newest, "since", newestAt.toString()));
        }
        return store.putIfAbsent(key, token(), "text/plain") ? Optional.of(key) : Optional.empty();
    }

    /** Lets a lease go (its key, as {@link #takeLease} gave it). */
    public void releaseLease(String key, String runId) {
        release(key, runId);
    }

    /**
     * Before a resume: clears the reduce request lock and the leases an invocation that was killed left behind. A
     * lock younger than a Lambda can live may belong to a reduce still running, so it stays.
     */
    public void clearStaleLocks(String runId) {
        Instant cutoff = Instant.now().minus(LAMBDA_MAX_LIFETIME);
        List<ObjectStore.Info> locks = new ArrayList<>(store.list(RunKeys.reducingLeases(runId)));
        store.head(RunKeys.reduceLock(runId)).ifPresent(locks::add);
        for (ObjectStore.Info lock : locks) {
            if (lock.lastModified().isBefore(cutoff)) {
                store.delete(lock.key());
                events.log(
                        "lock.cleared",
                        runId,
                        Map.of("lock", lock.key(), "since", lock.lastModified().toString()));
            }
        }
    }

    private void release(String key, String runId) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            events.log("lock.release-failed", runId, Map.of("lock", key, "why", e.toString()));
        }
    }

    /** Lock bytes unique to the caller (see {@link ObjectStore#putIfAbsent}). */
    private byte[] token() {
        return (function + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    // ---- the Glue job run -------------------------------------------------------------------------------------

    /** Records which run a Glue job run reduces (a state-change event names only the job run). */
    public void recordGlueJobRun(String jobRunId, String runId) {
        store.put(RunKeys.glueJobRun(jobRunId), runId.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    /** The run a Glue job run reduces, if Tally started it. */
    public Optional<String> runOfGlueJobRun(String jobRunId) {
        return store.get(RunKeys.glueJobRun(jobRunId)).map(b -> new String(b, StandardCharsets.UTF_8).trim());
    }

    // ---- reports/latest.json ----------------------------------------------------------------------------------

    /** The run whose reports are in {@code reports/latest/}, if any. */
    public Optional<Latest> latest() {
        return store.get(RunKeys.LATEST_POINTER).map(b -> RunJson.read(b, Latest.class));
    }

    /** Whether this run's uploads are at least as new as those of the run in {@code reports/latest/}. */
    public boolean isNewest(Manifest manifest) {
        Optional<Latest> current = latest();
        if (current.isPresent() && Instant.parse(current.get().dataTime()).isAfter(manifest.dataTime())) {
            events.log(
                    "latest.kept",
                    manifest.runId(),
                    Map.of("why", "run " + current.get().runId() + " in reports/latest/ is on newer uploads"));
            return false;
        }
        return true;
    }

    /** Points {@code reports/latest.json} at this run's reports. */
    public void pointLatestAt(Manifest manifest, String reports) {
        store.put(
                RunKeys.LATEST_POINTER,
                RunJson.bytes(new Latest(manifest.runId(), manifest.dataTime().toString(), reports)),
                "application/json");
    }
}
