package io.tally.names;

/**
 * The environment variable names the functions read. The functions' configuration and the CDK stack both
 * use these constants, so a name cannot differ between what is deployed and what is read.
 */
public final class Env {
    public static final String BUCKET = "TALLY_BUCKET";
    /** The range queue: the planner sends one message per byte range, the chunk workers consume it. */
    public static final String RANGE_QUEUE_URL = "TALLY_RANGE_QUEUE_URL";
    /** The reduce queue: the worker that completes a run's partials sends one message, the reducer consumes it. */
    public static final String REDUCE_QUEUE_URL = "TALLY_REDUCE_QUEUE_URL";

    public static final String INLINE_MAX_BYTES = "TALLY_INLINE_MAX_BYTES";
    public static final String GLUE_MIN_BYTES = "TALLY_GLUE_MIN_BYTES";
    public static final String RANGE_BYTES = "TALLY_RANGE_BYTES";
    public static final String TOLERANCE_KG = "TALLY_TOLERANCE_KG";
    public static final String TOLERANCE_PCT = "TALLY_TOLERANCE_PCT";
    public static final String DATE_ORDER = "TALLY_DATE_ORDER";
    public static final String THREADS = "TALLY_THREADS";
    public static final String FORCE_TIER = "TALLY_FORCE_TIER";
    public static final String STALL_MINUTES = "TALLY_STALL_MINUTES";
    public static final String MAX_UPLOAD_AGE_HOURS = "TALLY_MAX_UPLOAD_AGE_HOURS";
    /** The Sheets API root URL; Google's when unset. */
    public static final String SHEETS_ENDPOINT = "TALLY_SHEETS_ENDPOINT";
    /** The purchase tracker in Google Sheets: {@code SPREADSHEET_ID[:SHEET]}. */
    public static final String SHEETS_PURCHASE = "TALLY_SHEETS_PURCHASE";
    /** The inventory tracker in Google Sheets: {@code SPREADSHEET_ID[:SHEET]}. */
    public static final String SHEETS_INVENTORY = "TALLY_SHEETS_INVENTORY";
    /** The spreadsheet the reports are written back to. */
    public static final String SHEETS_REPORT = "TALLY_SHEETS_REPORT";
    /** The Secrets Manager secret (ARN or name) holding the Google service-account key. */
    public static final String SHEETS_SECRET = "TALLY_SHEETS_SECRET";

    public static final String SHEETS_CHUNK_ROWS = "TALLY_SHEETS_CHUNK_ROWS";
    public static final String SHEETS_READS_PER_MINUTE = "TALLY_SHEETS_READS_PER_MINUTE";
    public static final String SHEETS_WRITES_PER_MINUTE = "TALLY_SHEETS_WRITES_PER_MINUTE";
    public static final String SHEETS_ATTEMPTS = "TALLY_SHEETS_ATTEMPTS";
    /** The Glue job that reduces runs at or above the GLUE threshold. */
    public static final String GLUE_JOB_NAME = "TALLY_GLUE_JOB_NAME";
    /** Tries of StartJobRun on ConcurrentRunsExceeded and throttling. */
    public static final String GLUE_START_ATTEMPTS = "TALLY_GLUE_START_ATTEMPTS";
    /** The publish queue: one message per successful run, consumed by the Sheets publish function. */
    public static final String PUBLISH_QUEUE_URL = "TALLY_PUBLISH_QUEUE_URL";

    private Env() {}
}
