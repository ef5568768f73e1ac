package io.tally.storage.run;

import io.tally.core.ByteSource;
import io.tally.core.DateOrder;
import io.tally.core.RangePlan;
import io.tally.core.Tolerances;
import io.tally.core.Tracker;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ByteSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/{runId}/manifest.json}: what a run reads and how, written once by the planner. Workers and
 * the reducer work only from it, so a run is reproducible from its manifest.
 *
 * @param version      format version, 2 (version 1 listed the ranges per input, before core's range plan)
 * @param runId        the run
 * @param createdAt    when the planner wrote it (ISO-8601)
 * @param tier         INLINE or FANOUT (GLUE runs fan out until the Glue executor lands)
 * @param toleranceKg  tolerance in kg
 * @param tolerancePct tolerance in percent
 * @param dateOrder    day-first or month-first
 * @param sources      the two tracker objects, purchase first, pinned to their ETags
 * @param plan         core's range plan: the layouts and the byte ranges every executor reads
 * @param glueJobRunId the Glue job run reducing a GLUE-tier run, once started; empty otherwise
 */
public record Manifest(
        int version,
        String runId,
        String createdAt,
        Tier tier,
        String toleranceKg,
        String tolerancePct,
        String dateOrder,
        List<Source> sources,
        RangePlan plan,
        String glueJobRunId) {

    public Manifest {
        glueJobRunId = glueJobRunId == null ? "" : glueJobRunId;
    }

    public Manifest(
            int version,
            String runId,
            String createdAt,
            Tier tier,
            String toleranceKg,
            String tolerancePct,
            String dateOrder,
            List<Source> sources,
            RangePlan plan) {
        this(version, runId, createdAt, tier, toleranceKg, tolerancePct, dateOrder, sources, plan, "");
    }

    /** The same manifest, naming the Glue job run that reduces it. */
    public Manifest withGlueJobRun(String jobRunId) {
        return new Manifest(
                version, runId, createdAt, tier, toleranceKg, tolerancePct, dateOrder, sources, plan, jobRunId);
    }

    public static final int VERSION = 2;

    /** A tracker object, with its upload time (ISO-8601). */
    public record Source(Tracker tracker, String key, String etag, long size, String lastModified) {}

    /** When the newer of the two inputs was uploaded: how fresh this run's data is. */
    public Instant dataTime() {
        return sources.stream()
                .map(s -> Instant.parse(s.lastModified()))
                .max(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
    }

    public Source source(Tracker tracker) {
        return sources.stream()
                .filter(s -> s.tracker() == tracker)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("manifest of " + runId + " has no " + tracker.label()));
    }

    /** Both trackers as byte sources: ranged GETs pinned to the planned ETags. */
    public Map<Tracker, ByteSource> byteSources(ObjectStore store) {
        Map<Tracker, ByteSource> out = new EnumMap<>(Tracker.class);
        for (Source s : sources) {
            out.put(s.tracker(), new S3ByteSource(store, s.key(), s.etag(), s.size()));
        }
        return out;
    }

    /** The ranges chunk workers read: none for an inline run or a Glue run, which read the plan themselves. */
    public int rangeCount() {
        return tier == Tier.FANOUT ? plan.rangeCount() : 0;
    }

    public Tolerances tolerances() {
        return new Tolerances(new BigDecimal(toleranceKg), new BigDecimal(tolerancePct));
    }

    public DateOrder order() {
        return DateOrder.parse(dateOrder);
    }
}
