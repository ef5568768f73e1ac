package io.tally.functions.glue;

import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.Json;
import io.tally.functions.run.Publisher;
import io.tally.storage.ObjectStore;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.Tier;
import java.util.Map;
import java.util.Optional;

/**
 * Finishes a run the Glue job reduced, on its "Glue Job State Change" event: SUCCEEDED publishes the reports
 * the job wrote as the fan-out path does ({@code reports/latest/}, {@code status.json}, then the Sheets
 * publish); FAILED, TIMEOUT and STOPPED mark the run failed with Glue's message and leave
 * {@code reports/latest/} untouched.
 */
public final class GlueFinish {
    static final String FUNCTION = "glue-state";

    /** What an event came to. */
    public enum Outcome { PUBLISHED, FAILED, IGNORED }

    private final ObjectStore store;
    private final Publisher publisher;
    private final Telemetry telemetry;

    public GlueFinish(ObjectStore store, Publisher publisher, Telemetry telemetry) {
        this.store = store;
        this.publisher = publisher;
        this.telemetry = telemetry;
    }

    public Outcome onStateChange(String jobRunId, String state, String message) {
        Optional<String> runId = store.get(RunKeys.glueJobRun(jobRunId)).map(b -> new String(b,
                java.nio.charset.StandardCharsets.UTF_8).trim());
        if (runId.isEmpty()) {
            telemetry.log(FUNCTION, "glue.unknown-run", "", Map.of("jobRunId", jobRunId, "state", state));
            return Outcome.IGNORED;
        }
        Manifest manifest = Json.read(store.get(RunKeys.manifest(runId.get())).orElseThrow(
                () -> new IllegalStateException("run " + runId.get() + " has no manifest")), Manifest.class);
        switch (state) {
            case "SUCCEEDED" -> {
                publisher.promote(manifest, FUNCTION);
                return Outcome.PUBLISHED;
            }
            case "FAILED", "TIMEOUT", "STOPPED", "ERROR" -> {
                publisher.fail(runId.get(), Tier.GLUE, "the Glue job run " + jobRunId + " ended " + state
                        + (message == null || message.isBlank() ? "" : ": " + message), FUNCTION);
                return Outcome.FAILED;
            }
            default -> {
                telemetry.log(FUNCTION, "glue.state", runId.get(), Map.of("jobRunId", jobRunId, "state", state));
                publisher.touch(runId.get());
                return Outcome.IGNORED;
            }
        }
    }
}
