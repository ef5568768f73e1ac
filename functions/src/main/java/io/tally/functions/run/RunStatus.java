package io.tally.functions.run;

/**
 * {@code runs/{runId}/status.json}.
 *
 * @param runId     the run
 * @param state     RUNNING, SUCCEEDED or FAILED
 * @param tier      how it ran
 * @param reason    why it failed (empty otherwise)
 * @param reports   where its reports are ({@code reports/{runId}/}), once it succeeded
 * @param updatedAt when this status was written (ISO-8601)
 */
public record RunStatus(String runId, State state, Tier tier, String reason, String reports, String updatedAt) {
    /** Where a run is. */
    public enum State { RUNNING, SUCCEEDED, FAILED }
}
