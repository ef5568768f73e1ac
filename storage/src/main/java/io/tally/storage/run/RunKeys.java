package io.tally.storage.run;

import io.tally.core.RangePlan;
import io.tally.core.Tracker;
import io.tally.names.BucketKeys;
import java.util.Locale;

/** Where everything lives in the bucket. */
public final class RunKeys {
    public static final String INCOMING = BucketKeys.INCOMING;
    public static final String LATEST = BucketKeys.REPORTS + "latest/";
    /** Names the run whose reports are in {@link #LATEST}, and how fresh its data is. */
    public static final String LATEST_POINTER = BucketKeys.LATEST_POINTER;

    private RunKeys() {}

    /**
     * {@code exports/moving.json}: while a Sheets export moves its trackers from staging into {@code incoming/},
     * the keys it moves and when it began; the planner waits until every one of them has arrived, so one export
     * starts one run on both new trackers.
     */
    public static final String EXPORT_MOVING = BucketKeys.EXPORT_MOVING;

    /** {@code exports/staging/{exportId}/{tracker}}: a tracker exported in full, before it is moved. */
    public static String exportStaging(String exportId, Tracker t) {
        return BucketKeys.EXPORT_STAGING + exportId + "/" + t.label();
    }

    public static String incoming(Tracker t) {
        return INCOMING + t.label() + "/";
    }

    /** One empty marker per run in RUNNING, so the watchdog reads only the runs that can stall. */
    public static final String RUNNING = BucketKeys.RUNS + "_running/";

    public static String running(String runId) {
        return RUNNING + runId;
    }

    /** {@code runs/_glue/{jobRunId}}: the run a Glue job run reduces (a state-change event names only the job run). */
    public static String glueJobRun(String jobRunId) {
        return BucketKeys.RUNS + "_glue/" + jobRunId;
    }

    public static String run(String runId) {
        return BucketKeys.RUNS + runId + "/";
    }

    public static String manifest(String runId) {
        return run(runId) + "manifest.json";
    }

    public static String status(String runId) {
        return run(runId) + "status.json";
    }

    /** Taken by the one worker that requests the run's reduce, so exactly one reduce message is sent. */
    public static String reduceLock(String runId) {
        return run(runId) + "_reduce";
    }

    /**
     * Leases of the reducers, one generation each: {@code _reducing.1}, then {@code _reducing.2} taken over from
     * a holder that died. Whoever creates a generation (a conditional put) holds it; a duplicate delivery finds
     * a live lease and leaves.
     */
    public static String reducingLeases(String runId) {
        return run(runId) + "_reducing.";
    }

    public static String reducingLease(String runId, int generation) {
        return reducingLeases(runId) + generation;
    }

    public static String partials(String runId) {
        return run(runId) + "partials/";
    }

    public static String partial(String runId, RangePlan.Range r) {
        return partials(runId) + name(r);
    }

    /** Where the second pass of {@code invoices.csv} leaves each span's sorted invoice lines. */
    public static String invoiceParts(String runId) {
        return run(runId) + "invoices/";
    }

    /** The invoice lines of span {@code n} of {@code tracker} (its n-th span holding accepted rows). */
    public static String invoicePart(String runId, Tracker tracker, int n) {
        return invoiceParts(runId) + tracker.label() + "-" + String.format(Locale.ROOT, "%05d", n);
    }

    /** The keys that are not OK, for the workers of the second pass. */
    public static String flagged(String runId) {
        return run(runId) + "flagged";
    }

    public static String error(String runId, RangePlan.Range r) {
        return run(runId) + "errors/" + name(r) + ".txt";
    }

    private static String name(RangePlan.Range r) {
        return r.tracker().label() + "-" + String.format(Locale.ROOT, "%05d", r.n());
    }

    public static String reports(String runId) {
        return BucketKeys.REPORTS + runId + "/";
    }
}
