package io.tally.names;

import java.util.List;
import java.util.Locale;

/**
 * The CloudWatch metrics the functions emit (Embedded Metric Format) and the CDK stack alarms on. The functions
 * and the stack both use these constants, so an alarm cannot watch a metric that nothing emits.
 *
 * <p>Every metric is emitted under two dimension sets: {@link #DIMENSIONS} ({@code function}, {@code tier}) for
 * looking into one function or tier, and {@link #ROLLUP_DIMENSIONS} (none), which alarms use: the same metric may
 * come from several functions (a run succeeds in the planner, the reducer or the Glue state handler), and an alarm
 * needs one fixed dimension set.
 */
public final class MetricNames {
    public static final String NAMESPACE = "Tally";

    /** Dimension: the function that emitted the metric ({@code planner}, {@code worker}, ...). */
    public static final String DIM_FUNCTION = "function";
    /** Dimension: the run's tier ({@code INLINE}, {@code FANOUT}, {@code GLUE}). */
    public static final String DIM_TIER = "tier";
    /** The detailed dimension set. */
    public static final List<String> DIMENSIONS = List.of(DIM_FUNCTION, DIM_TIER);
    /** The rollup dimension set: no dimensions, one series per metric. */
    public static final List<String> ROLLUP_DIMENSIONS = List.of();

    // A run that ended (the publisher, from the planner, the reducer or the Glue state handler).
    public static final String ROWS_READ = "RowsRead";
    public static final String ROWS_REJECTED = "RowsRejected";
    /** The run's total chicken difference in kg (purchase minus inventory): the loss. */
    public static final String CHICKEN_LOSS_KG = "ChickenLossKg";

    public static final String RUN_DURATION = "RunDuration";
    public static final String RUNS_SUCCEEDED = "RunsSucceeded";
    public static final String RUNS_FAILED = "RunsFailed";
    /** Keys by status: {@code "Keys"} and the status in camel case, see {@link #keys(String)}. */
    public static final String KEYS_OK = "KeysOk";

    public static final String KEYS_DISCREPANCY = "KeysDiscrepancy";
    public static final String KEYS_MISSING_INVENTORY = "KeysMissingInventory";
    public static final String KEYS_MISSING_PURCHASE = "KeysMissingPurchase";

    // The planner.
    public static final String INPUT_BYTES = "InputBytes";
    public static final String RANGES = "Ranges";

    // The chunk worker and the reducer.
    public static final String BYTES_PROCESSED = "BytesProcessed";
    public static final String RANGE_DURATION = "RangeDuration";
    public static final String REDUCE_DURATION = "ReduceDuration";

    // The watchdog.
    public static final String STALLED_RUNS = "StalledRuns";
    /** Hours since the older of the two trackers was last uploaded. */
    public static final String HOURS_SINCE_UPLOAD = "HoursSinceUpload";

    public static final String HOURS_SINCE_PURCHASE_UPLOAD = "HoursSincePurchaseUpload";
    public static final String HOURS_SINCE_INVENTORY_UPLOAD = "HoursSinceInventoryUpload";

    // Google Sheets.
    public static final String SHEETS_EXPORTS = "SheetsExports";
    public static final String SHEETS_ROWS_EXPORTED = "SheetsRowsExported";
    public static final String SHEETS_PUBLISHED = "SheetsPublished";

    /** Every metric name above. */
    public static final List<String> ALL = List.of(
            ROWS_READ,
            ROWS_REJECTED,
            CHICKEN_LOSS_KG,
            RUN_DURATION,
            RUNS_SUCCEEDED,
            RUNS_FAILED,
            KEYS_OK,
            KEYS_DISCREPANCY,
            KEYS_MISSING_INVENTORY,
            KEYS_MISSING_PURCHASE,
            INPUT_BYTES,
            RANGES,
            BYTES_PROCESSED,
            RANGE_DURATION,
            REDUCE_DURATION,
            STALLED_RUNS,
            HOURS_SINCE_UPLOAD,
            HOURS_SINCE_PURCHASE_UPLOAD,
            HOURS_SINCE_INVENTORY_UPLOAD,
            SHEETS_EXPORTS,
            SHEETS_ROWS_EXPORTED,
            SHEETS_PUBLISHED);

    private MetricNames() {}

    /** The keys-by-status metric of a status name such as {@code MISSING_INVENTORY}: {@code KeysMissingInventory}. */
    public static String keys(String status) {
        StringBuilder sb = new StringBuilder("Keys");
        for (String part : status.split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
