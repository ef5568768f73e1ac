package io.tally.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What a run was asked to do and on what, for {@code summary.json}.
 *
 * @param runId      identifies the run; the same inputs and options give the same id
 * @param purchase   the purchase tracker's file
 * @param inventory  the inventory tracker's file
 * @param tolerances the tolerances used
 * @param dateOrder  how {@code d/M/yyyy} dates were read
 * @param startedAt  when the run started
 * @param executor   which path computed it: {@code local}, {@code inline}, {@code fanout}, {@code glue}
 */
public record RunInfo(
        String runId,
        InputFile purchase,
        InputFile inventory,
        Tolerances tolerances,
        DateOrder dateOrder,
        Instant startedAt,
        String executor) {

    /**
     * An input as summary.json lists it.
     *
     * @param source where it came from: a file name, or {@code s3://bucket/key}
     * @param bytes  its size
     * @param fingerprint {@link Digests#fingerprint} of a local file, or empty for an S3 object (its ETag says it)
     * @param etag   its S3 ETag, or empty for a local file
     */
    public record InputFile(String source, long bytes, String fingerprint, String etag) {
        public InputFile(String source, long bytes, String fingerprint) {
            this(source, bytes, fingerprint, "");
        }
    }

    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(purchase, "purchase");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(tolerances, "tolerances");
        Objects.requireNonNull(dateOrder, "dateOrder");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(executor, "executor");
    }
}
