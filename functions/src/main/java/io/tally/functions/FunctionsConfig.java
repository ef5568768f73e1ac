package io.tally.functions;

import io.tally.core.DateOrder;
import io.tally.core.Tolerances;
import io.tally.functions.sheets.SheetsConfig;
import io.tally.names.Env;
import io.tally.storage.run.Tier;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the functions are configured with, read once from the environment.
 *
 * @param bucket          the bucket holding incoming/, runs/ and reports/
 * @param rangeQueueUrl   the range queue the planner sends to and the workers are fed from
 * @param reduceQueueUrl  the reduce queue the worker completing a run sends to and the reducer is fed from
 * @param inlineMaxBytes  inputs (both trackers together) below this run inline in the planner
 * @param glueMinBytes    inputs at or above this go to the Glue job (without one configured, they fan out)
 * @param rangeBytes      bytes per range for fan-out
 * @param tolerances      reconciliation tolerances
 * @param dateOrder       how d/M/yyyy dates read
 * @param threads         threads for inline runs
 * @param forceTier       a tier to use whatever the size (for tests and {@code tally local --tier})
 * @param stallMinutes    a run with no final status after this long is reported as stalled
 * @param maxUploadAgeHours no upload for this long is reported as missing input
 * @param publishQueueUrl the queue a successful run is announced on for the Sheets publish, or empty
 * @param sheets          the Google Sheets set-up, when any spreadsheet is configured
 * @param glueJobName     the Glue job for GLUE-tier runs, or empty (they then fan out, with a warning)
 * @param glueStartAttempts tries of StartJobRun on ConcurrentRunsExceeded and throttling
 */
public record FunctionsConfig(
        String bucket,
        String rangeQueueUrl,
        String reduceQueueUrl,
        long inlineMaxBytes,
        long glueMinBytes,
        long rangeBytes,
        Tolerances tolerances,
        DateOrder dateOrder,
        int threads,
        Optional<Tier> forceTier,
        long stallMinutes,
        long maxUploadAgeHours,
        String publishQueueUrl,
        Optional<SheetsConfig> sheets,
        String glueJobName,
        int glueStartAttempts) {

    public static final long DEFAULT_INLINE_MAX_BYTES = 64L << 20;
    public static final long DEFAULT_GLUE_MIN_BYTES = 20L << 30;
    public static final long DEFAULT_RANGE_BYTES = 64L << 20;

    public FunctionsConfig {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(rangeQueueUrl, "rangeQueueUrl");
        Objects.requireNonNull(reduceQueueUrl, "reduceQueueUrl");
        Objects.requireNonNull(tolerances, "tolerances");
        Objects.requireNonNull(dateOrder, "dateOrder");
        Objects.requireNonNull(forceTier, "forceTier");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException(Env.BUCKET + " is not set");
        }
        if (rangeBytes < 1 || inlineMaxBytes < 0 || glueMinBytes < 1 || threads < 1) {
            throw new IllegalArgumentException("range bytes, glue threshold and threads must be "
                    + "positive; inline threshold must not be negative");
        }
    }

    /** Reads the configuration from environment variables (see {@link Env}), with defaults. */
    public static FunctionsConfig fromEnv(Map<String, String> env) {
        return new FunctionsConfig(
                env.getOrDefault(Env.BUCKET, ""),
                env.getOrDefault(Env.RANGE_QUEUE_URL, ""),
                env.getOrDefault(Env.REDUCE_QUEUE_URL, ""),
                number(env, Env.INLINE_MAX_BYTES, DEFAULT_INLINE_MAX_BYTES),
                number(env, Env.GLUE_MIN_BYTES, DEFAULT_GLUE_MIN_BYTES),
                number(env, Env.RANGE_BYTES, DEFAULT_RANGE_BYTES),
                new Tolerances(
                        new BigDecimal(env.getOrDefault(Env.TOLERANCE_KG, "0.5")),
                        new BigDecimal(env.getOrDefault(Env.TOLERANCE_PCT, "2.0"))),
                DateOrder.parse(env.getOrDefault(Env.DATE_ORDER, "day-first")),
                (int) number(env, Env.THREADS, Runtime.getRuntime().availableProcessors()),
                Optional.ofNullable(env.get(Env.FORCE_TIER))
                        .filter(s -> !s.isBlank())
                        .map(Tier::parse),
                number(env, Env.STALL_MINUTES, 60),
                number(env, Env.MAX_UPLOAD_AGE_HOURS, 36),
                env.getOrDefault(Env.PUBLISH_QUEUE_URL, ""),
                SheetsConfig.fromEnv(env),
                env.getOrDefault(Env.GLUE_JOB_NAME, "").trim(),
                (int) number(env, Env.GLUE_START_ATTEMPTS, 6));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'", e);
        }
    }
}
