package io.tally.functions.glue;

import io.tally.functions.obs.Telemetry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.ConcurrentRunsExceededException;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.JobRun;

/**
 * Starts the Glue job for a run with {@code glue:StartJobRun}, passing where the run's manifest is. Too many
 * concurrent runs and throttling are retried with backoff, and so are an unanswered request and a 5xx once
 * {@code GetJobRuns} shows they did not start the job; any other refusal, or retries running out, fails with
 * one message saying why.
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

    public GlueLauncher(
            GlueClient glue,
            String jobName,
            int attempts,
            Duration firstWait,
            RandomGenerator random,
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
            return !live();
        }

        /** Whether the job run may still finish: STARTING, RUNNING, STOPPING or WAITING. */
        public boolean live() {
            return switch (state) {
                case "STARTING", "RUNNING", "STOPPING", "WAITING" -> true;
                default -> false;
            };
        }
    }

    /** What Glue says of a job run now ({@code glue:GetJobRun}). */
    public RunState state(String jobRunId) {
        var run = glue.getJobRun(b -> b.jobName(jobName).runId(jobRunId)).jobRun();
        return new RunState(run.jobRunStateAsString(), run.errorMessage() == null ? "" : run.errorMessage());
    }

    /**
     * Starts the job on {@code bucket}'s run {@code runId}; returns the job run id. A live job run already
     * working on the run (started by a try whose answer was lost, or by a planner that died before it wrote the
     * manifest) is adopted instead of starting a second. StartJobRun has no idempotency token, so an
     * unanswered request or a 5xx is retried only after {@code GetJobRuns} shows it did not land.
     */
    public String start(String bucket, String runId) {
        Optional<String> live = liveRunFor(runId);
        if (live.isPresent()) {
            telemetry.log("planner", "glue.adopted", runId, Map.of("jobRunId", live.get()));
            return live.get();
        }
        for (int attempt = 1; ; attempt++) {
            String why;
            boolean retryable;
            try {
                return glue.startJobRun(
                                b -> b.jobName(jobName).arguments(Map.of("--bucket", bucket, "--run-id", runId)))
                        .jobRunId();
            } catch (GlueException e) {
                why = e.awsErrorDetails() == null
                        ? e.getMessage()
                        : e.awsErrorDetails().errorCode() + ": "
                                + e.awsErrorDetails().errorMessage();
                retryable = e instanceof ConcurrentRunsExceededException
                        || e.isThrottlingException()
                        || e.statusCode() >= 500;
                if (e.statusCode() >= 500) {
                    live = liveRunFor(runId);
                }
            } catch (SdkClientException e) {
                why = "no answer: " + e.getMessage();
                retryable = true;
                live = liveRunFor(runId);
            }
            if (live.isPresent()) { // the unanswered request did start the job
                telemetry.log("planner", "glue.adopted", runId, Map.of("jobRunId", live.get(), "after", why));
                return live.get();
            }
            if (!retryable || attempt >= attempts) {
                throw new NotStarted(
                        "the Glue job " + jobName + " could not be started for run " + runId
                                + (retryable ? " after " + attempt + " attempts" : "") + ": " + why,
                        null);
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

    /** How many pages of GetJobRuns (newest first, 200 a page) are searched for a run's live job run. */
    private static final int PAGES_SEARCHED = 3;

    /** The job run still working on {@code runId}, if Glue has one (STARTING, RUNNING, STOPPING or WAITING). */
    Optional<String> liveRunFor(String runId) {
        try {
            return glue.getJobRunsPaginator(b -> b.jobName(jobName).maxResults(200)).stream()
                    .limit(PAGES_SEARCHED)
                    .flatMap(page -> page.jobRuns().stream())
                    .filter(r -> runId.equals(r.arguments().get("--run-id")))
                    .filter(r -> new RunState(r.jobRunStateAsString(), "").live())
                    .map(JobRun::id)
                    .findFirst();
        } catch (SdkException e) {
            telemetry.log("planner", "glue.list-failed", runId, Map.of("why", e.toString()));
            return Optional.empty();
        }
    }
}
