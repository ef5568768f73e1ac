package io.tally.functions.run;

import io.tally.core.DateOrder;
import io.tally.core.Layout;
import io.tally.core.Tolerances;
import io.tally.core.Tracker;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code runs/{runId}/manifest.json}: what a run reads and how, written once by the planner. Workers and
 * the reducer work only from it, so a run is reproducible from its manifest.
 *
 * @param version    format version, 1
 * @param runId      the run
 * @param createdAt  when the planner wrote it (ISO-8601)
 * @param tier       INLINE or FANOUT (GLUE runs fan out until the Glue executor lands)
 * @param toleranceKg  tolerance in kg
 * @param tolerancePct tolerance in percent
 * @param dateOrder  day-first or month-first
 * @param rangeBytes bytes per range
 * @param inputs     the two trackers, purchase first
 */
public record Manifest(int version, String runId, String createdAt, Tier tier, String toleranceKg,
        String tolerancePct, String dateOrder, long rangeBytes, List<Input> inputs) {

    /** A tracker object (with its upload time, ISO-8601) and its ranges. */
    public record Input(Tracker tracker, String key, String etag, long size, String lastModified, Layout layout,
            List<Range> ranges) {}

    /** When the newer of the two inputs was uploaded: how fresh this run's data is. */
    public java.time.Instant dataTime() {
        return inputs.stream().map(i -> java.time.Instant.parse(i.lastModified())).max(java.util.Comparator.naturalOrder())
                .orElse(java.time.Instant.EPOCH);
    }

    /** Byte range {@code n} of a tracker: {@code [start, end)}. */
    public record Range(int n, long start, long end) {}

    public Input input(Tracker tracker) {
        return inputs.stream().filter(i -> i.tracker() == tracker).findFirst()
                .orElseThrow(() -> new IllegalStateException("manifest of " + runId + " has no " + tracker.label()));
    }

    public int rangeCount() {
        return inputs.stream().mapToInt(i -> i.ranges().size()).sum();
    }

    public Tolerances tolerances() {
        return new Tolerances(new BigDecimal(toleranceKg), new BigDecimal(tolerancePct));
    }

    public DateOrder order() {
        return DateOrder.parse(dateOrder);
    }
}
