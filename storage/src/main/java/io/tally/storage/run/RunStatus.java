package io.tally.storage.run;

/**
 * {@code runs/{runId}/status.json}.
 *
 * @param runId     the run
 * @param state     RUNNING, SUCCEEDED or FAILED
 * @param tier      how it ran
 * @param reason    why it failed (empty otherwise)
 * @param reports   where its reports are ({@code reports/{runId}/}), once it succeeded
 * @param updatedAt when this status was written (ISO-8601)
 * @param fault     for a failed run, whose fault it is: the input's (fix the tracker and upload again) or
 *                  Tally's and its infrastructure's; NONE otherwise
 */
public record RunStatus(
        String runId, State state, Tier tier, String reason, String reports, String updatedAt, Fault fault) {
    /** Where a run is. */
    public enum State {
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    /** Why a run failed. */
    public enum Fault {
        NONE,
        /** An unreadable tracker, or one replaced while the run read it: the user can fix it. */
        INPUT,
        /** Anything else: a bug, or the infrastructure. */
        INTERNAL
    }

    public RunStatus {
        fault = fault == null ? (state == State.FAILED ? Fault.INTERNAL : Fault.NONE) : fault;
    }

    public RunStatus(String runId, State state, Tier tier, String reason, String reports, String updatedAt) {
        this(runId, state, tier, reason, reports, updatedAt, null);
    }
}
