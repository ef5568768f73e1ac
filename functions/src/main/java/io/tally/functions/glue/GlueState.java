package io.tally.functions.glue;

import io.tally.core.InputFault;
import io.tally.functions.Functions;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.Publisher;
import io.tally.storage.ObjectChangedException;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunLedger;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finishes a run the Glue job reduced, on its "Glue Job State Change" event: SUCCEEDED publishes the reports
 * the job wrote as the fan-out path does ({@code reports/latest/}, {@code status.json}, then the Sheets
 * publish); FAILED, TIMEOUT, STOPPED (and any other end, such as EXPIRED) mark the run failed with Glue's
 * message and leave {@code reports/latest/} untouched. Only the run's current job run counts, and only while
 * the run is RUNNING: a repeated or late event changes nothing.
 */
public final class GlueState {
    static final String FUNCTION = Functions.GLUE_STATE;

    /** The states of a job run that may still finish. */
    static final Set<String> LIVE = Set.of("STARTING", "RUNNING", "STOPPING", "WAITING");

    /** What an event came to. */
    public enum Outcome {
        PUBLISHED,
        FAILED,
        IGNORED
    }

    private final RunLedger ledger;
    private final Publisher publisher;
    private final Telemetry telemetry;

    public GlueState(RunLedger ledger, Publisher publisher, Telemetry telemetry) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.telemetry = telemetry;
    }

    public Outcome onStateChange(String jobRunId, String state, String message) {
        Optional<String> runId = ledger.runOfGlueJobRun(jobRunId);
        if (runId.isEmpty()) {
            telemetry.log(FUNCTION, "glue.unknown-run", "", Map.of("jobRunId", jobRunId, "state", state));
            return Outcome.IGNORED;
        }
        Manifest manifest = ledger.manifest(runId.get());
        // A late or repeated event, or one from a job run a resume has since replaced, changes nothing.
        Optional<RunStatus> status = ledger.status(runId.get());
        if (!jobRunId.equals(manifest.glueJobRunId())
                || status.isPresent() && status.get().state() != RunStatus.State.RUNNING) {
            telemetry.log(
                    FUNCTION,
                    "glue.stale-event",
                    runId.get(),
                    Map.of(
                            "jobRunId",
                            jobRunId,
                            "state",
                            state,
                            "current",
                            String.valueOf(manifest.glueJobRunId()),
                            "status",
                            status.map(x -> x.state().name()).orElse("none")));
            return Outcome.IGNORED;
        }
        if (state.equals("SUCCEEDED")) {
            publisher.promote(manifest);
            return Outcome.PUBLISHED;
        }
        if (LIVE.contains(state)) {
            telemetry.log(FUNCTION, "glue.state", runId.get(), Map.of("jobRunId", jobRunId, "state", state));
            ledger.touch(runId.get());
            return Outcome.IGNORED;
        }
        // FAILED, TIMEOUT, STOPPED, ERROR, EXPIRED, and any state this code does not know: the run cannot finish.
        String reason = "the Glue job run " + jobRunId + " ended " + state
                + (message == null || message.isBlank() ? "" : ": " + message);
        if (message != null && (message.contains(InputFault.MARK) || message.contains(ObjectChangedException.MARK))) {
            ledger.failInput(runId.get(), Tier.GLUE, reason); // a tracker replaced mid-job
        } else {
            ledger.fail(runId.get(), Tier.GLUE, reason);
        }
        return Outcome.FAILED;
    }
}
