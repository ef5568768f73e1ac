package io.tally.functions.glue;

import io.tally.functions.obs.Telemetry;
import java.time.Duration;
import java.util.Map;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.ConcurrentRunsExceededException;
import software.amazon.awssdk.services.glue.model.GlueException;

/**
 * Starts the Glue job for a run with {@code glue:StartJobRun}, passing where the run's manifest is. Too many
 * concurrent runs and throttling are retried with backoff; any other refusal, or retries running out, fails
 * with one message saying why.
 */
public final class GlueLauncher {
    /** A start that did not happen: the reason is the message. */
    public static final class NotStarted extends RuntimeException {
        NotStarted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final GlueClient glue;
    private final String jobName;
    private final int attempts;
    private final Duration firstWait;
    private final RandomGenerator random;
    private final Telemetry telemetry;

    public GlueLauncher(GlueClient glue, String jobName, int attempts, Duration firstWait, RandomGenerator random,
            Telemetry telemetry) {
        this.glue = glue;
        this.jobName = jobName;
        this.attempts = attempts;
        this.firstWait = firstWait;
        this.random = random;
        this.telemetry = telemetry;
    }

    /** A job run's state and Glue's message about it. */
    public record RunState(String state, String message) {
        public boolean finished() {
            return switch (state) {
                case "STARTING", "RUNNING", "STOPPING", "WAITING" -> false;
                default -> true;
            };
        }
    }

    /** What Glue says of a job run now ({@code glue:GetJobRun}). */
    public RunState state(String jobRunId) {
        var run = glue.getJobRun(b -> b.jobName(jobName).runId(jobRunId)).jobRun();
        return new RunState(run.jobRunStateAsString(), run.errorMessage() == null ? "" : run.errorMessage());
    }

    /** Starts the job on {@code bucket}'s run {@code runId}; returns the job run id. */
    public String start(String bucket, String runId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return glue.startJobRun(b -> b.jobName(jobName).arguments(Map.of("--bucket", bucket,
                        "--run-id", runId))).jobRunId();
            } catch (GlueException e) {
                // Not 5xx: StartJobRun has no idempotency token, so a retried request whose first try landed
                // would start a second job run.
                boolean retryable = e instanceof ConcurrentRunsExceededException || e.isThrottlingException();
                String why = e.awsErrorDetails() == null ? e.getMessage()
                        : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
                if (!retryable || attempt >= attempts) {
                    throw new NotStarted("the Glue job " + jobName + " could not be started for run " + runId
                            + (retryable ? " after " + attempt + " attempts" : "") + ": " + why, e);
                }
                long cap = firstWait.toMillis() << Math.min(20, attempt - 1);
                long wait = cap / 2 + random.nextLong(cap / 2 + 1);
                telemetry.log("planner", "glue.retry", runId, Map.of("attempt", attempt, "why", why, "waitMs", wait));
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new NotStarted("interrupted while starting the Glue job", ie);
                }
            }
        }
    }
}
