package io.tally.names;

/** The prefixes of the bucket's layout that the stack refers to (notifications, lifecycle rules, grants). */
public final class BucketKeys {
    /** Uploads land in {@code incoming/purchase/} and {@code incoming/inventory/}. */
    public static final String INCOMING = "incoming/";
    /** Each run's manifest, partials, locks and status. */
    public static final String RUNS = "runs/";
    /** {@code reports/{runId}/} and {@code reports/latest/}. */
    public static final String REPORTS = "reports/";
    /** Names the run whose reports are in {@code reports/latest/}. */
    public static final String LATEST_POINTER = REPORTS + "latest.json";
    /** {@code exports/{tracker}.json}: the Sheets export's record of what it last uploaded. */
    public static final String EXPORTS = "exports/";
    /** {@code exports/staging/{exportId}/{tracker}}: a Sheets export's trackers, complete, before they move. */
    public static final String EXPORT_STAGING = EXPORTS + "staging/";
    /** {@code exports/moving.json}: what an export is moving into incoming/; the planner waits on it. */
    public static final String EXPORT_MOVING = EXPORTS + "moving.json";

    private BucketKeys() {}
}
