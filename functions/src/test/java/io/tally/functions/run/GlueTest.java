package io.tally.functions.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tally.core.Engine;
import io.tally.core.InputFault;
import io.tally.core.LocalRun;
import io.tally.core.ReportWriter;
import io.tally.core.Tracker;
import io.tally.core.sample.SampleGenerator;
import io.tally.functions.handlers.GlueStateHandler;
import io.tally.names.Env;
import io.tally.storage.ObjectChangedException;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * Handing runs to Glue: the planner's StartJobRun, made by the real SDK client against a local server speaking
 * Glue's JSON protocol; retries and refusals; the state-change handler on AWS's sample events; the watchdog
 * asking Glue about a run that never reported back.
 */
class GlueTest {
    private static final Path EVENTS = Path.of("../events");

    @TempDir
    static Path tmp;

    private static HttpServer server;
    /** Scripted answers to StartJobRun: a status and a body each; an empty queue answers success. */
    private static final Deque<String[]> START = new ArrayDeque<>();

    private static final List<JsonNode> STARTS = new CopyOnWriteArrayList<>();
    private static volatile String jobRunState = "RUNNING";
    /** What GetJobRuns answers: {job run id, the run id it works on, its state}. */
    private static final List<String[]> LISTED = new CopyOnWriteArrayList<>();
    /** A scripted StartJobRun answer that first starts the job, then answers 500: a start whose answer is lost. */
    private static final String LANDED_THEN_500 = "landed-then-500";

    private static SampleGenerator.Written data;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = Json.MAPPER.readTree(x.getRequestBody());
            String[] answer;
            if ("AWSGlue.StartJobRun".equals(target)) {
                STARTS.add(body);
                synchronized (START) {
                    answer = START.isEmpty()
                            ? new String[] {"200", "{\"JobRunId\":\"jr_" + STARTS.size() + "\"}"}
                            : START.poll();
                }
                if (answer[0].equals(LANDED_THEN_500)) {
                    LISTED.add(new String[] {
                        "jr_landed_" + STARTS.size(),
                        body.path("Arguments").path("--run-id").asText(),
                        "RUNNING"
                    });
                    answer = new String[] {"500", "{\"__type\":\"InternalServiceException\",\"Message\":\"lost\"}"};
                }
            } else if ("AWSGlue.GetJobRuns".equals(target)) {
                StringBuilder runs = new StringBuilder();
                for (String[] r : LISTED) {
                    runs.append(runs.length() == 0 ? "" : ",")
                            .append("{\"Id\":\"")
                            .append(r[0])
                            .append("\",\"JobName\":\"tally-reconcile\",\"JobRunState\":\"")
                            .append(r[2])
                            .append("\",\"Arguments\":{\"--bucket\":\"memory\",\"--run-id\":\"")
                            .append(r[1])
                            .append("\"}}");
                }
                answer = new String[] {"200", "{\"JobRuns\":[" + runs + "]}"};
            } else if ("AWSGlue.GetJobRun".equals(target)) {
                answer = new String[] {
                    "200",
                    "{\"JobRun\":{\"Id\":\"" + body.path("RunId").asText() + "\",\"JobName\":\""
                            + body.path("JobName").asText() + "\",\"JobRunState\":\"" + jobRunState
                            + "\",\"ErrorMessage\":"
                            + ("FAILED".equals(jobRunState) ? "\"Executor lost\"" : "null") + "}}"
                };
            } else {
                answer = new String[] {
                    "400", "{\"__type\":\"InvalidInputException\",\"Message\":\"unexpected " + target + "\"}"
                };
            }
            byte[] out = answer[1].getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            x.sendResponseHeaders(Integer.parseInt(answer[0]), out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
        data = RunFixture.sample(tmp.resolve("data"), 2_000, 5);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static GlueClient glue() {
        return GlueClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private static RunFixture fixture() {
        RunFixture f = new RunFixture(Map.of(
                Env.INLINE_MAX_BYTES,
                "0",
                Env.GLUE_MIN_BYTES,
                "1",
                Env.GLUE_JOB_NAME,
                "tally-reconcile",
                Env.GLUE_START_ATTEMPTS,
                "4"));
        f.wiring.withGlue(glue());
        return f;
    }

    /** Uploads both trackers, which plans a GLUE run. */
    private static Planner.Planned plan(RunFixture f) {
        f.upload(Tracker.PURCHASE, data.purchase());
        return f.upload(Tracker.INVENTORY, data.inventory());
    }

    private static String handle(RunFixture f, String event, String jobRunId) throws Exception {
        return handle(f, event, jobRunId, null);
    }

    /** Sends AWS's sample {@code event} for {@code jobRunId}, with its message replaced when {@code message} is given. */
    private static String handle(RunFixture f, String event, String jobRunId, String message) throws Exception {
        String text = Files.readString(EVENTS.resolve(event));
        JsonNode detail = Json.MAPPER.readTree(text).path("detail");
        if (message != null) { // first: the sample's message may name its job run id
            text = text.replace(detail.path("message").asText(), message);
        }
        text = text.replace(detail.path("jobRunId").asText(), jobRunId);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GlueStateHandler(f.wiring)
                .handleRequest(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunAboveTheGlueThreshold_startsTheJob_withTheRunsLocation_andRecordsTheJobRun() {
        RunFixture f = fixture();
        Planner.Planned p = plan(f);
        assertThat(p.outcome()).isEqualTo(Planner.Outcome.STARTED);
        JsonNode request = STARTS.get(STARTS.size() - 1);
        assertThat(request.path("JobName").asText()).isEqualTo("tally-reconcile");
        assertThat(request.path("Arguments").path("--run-id").asText()).isEqualTo(p.runId());
        assertThat(request.path("Arguments").path("--bucket").asText()).isEqualTo("memory");
        Manifest m = f.manifest(p.runId());
        assertThat(m.tier()).isEqualTo(Tier.GLUE);
        assertThat(m.glueJobRunId()).startsWith("jr_");
        assertThat(f.text(RunKeys.glueJobRun(m.glueJobRunId()))).isEqualTo(p.runId());
        assertThat(f.ranges.sent()).as("no range goes to the chunk workers").isZero();
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);
    }

    @Test
    void tooManyConcurrentRunsAndThrottling_areRetried_andARefusalFailsTheRunWithGluesReason() {
        synchronized (START) {
            START.add(new String[] {
                "400",
                "{\"__type\":\"ConcurrentRunsExceededException\",\"Message\":\"Concurrent runs exceeded for tally-reconcile\"}"
            });
            START.add(new String[] {"400", "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}"});
        }
        RunFixture f = fixture();
        Planner.Planned ok = plan(f);
        assertThat(ok.outcome()).isEqualTo(Planner.Outcome.STARTED);
        assertThat(f.lines)
                .filteredOn(l -> l.contains("\"event\":\"glue.retry\""))
                .hasSize(2);

        synchronized (START) {
            START.add(new String[] {
                "400", "{\"__type\":\"EntityNotFoundException\",\"Message\":\"Job tally-reconcile not found\"}"
            });
        }
        RunFixture g = fixture();
        Planner.Planned refused = plan(g);
        assertThat(refused.outcome()).isEqualTo(Planner.Outcome.FAILED);
        assertThat(g.status(refused.runId()).reason())
                .contains("the Glue job tally-reconcile could not be started")
                .contains("EntityNotFoundException: Job tally-reconcile not found");
    }

    @Test
    void succeeded_publishesTheReportsTheJobWrote_failedTimeoutAndStopped_failTheRunWithGluesMessage()
            throws Exception {
        Path ref = tmp.resolve("ref");
        LocalRun.run(data.purchase(), data.inventory(), ref, LocalRun.Options.defaults(), Engine.Progress.NONE);
        for (String[] c : new String[][] {
            {"glue-job-succeeded.json", "SUCCEEDED", ""},
            {"glue-job-failed.json", "FAILED", "should be given assume role permissions for Glue Service"},
            {"glue-job-timeout.json", "FAILED", "ended TIMEOUT: Job run timed out"},
            {"glue-job-stopped.json", "FAILED", "ended STOPPED: Job run stopped"}
        }) {
            RunFixture f = fixture();
            Planner.Planned p = plan(f);
            String jobRunId = f.manifest(p.runId()).glueJobRunId();
            if (c[1].equals("SUCCEEDED")) {
                for (String name : ReportWriter.FILES) { // what the job writes
                    f.store.put(RunKeys.reports(p.runId()) + name, Files.readAllBytes(ref.resolve(name)), "text/csv");
                }
            }
            String answer = handle(f, c[0], jobRunId);
            RunStatus s = f.status(p.runId());
            assertThat(s.state().name()).as(c[0]).isEqualTo(c[1]);
            if (c[1].equals("SUCCEEDED")) {
                assertThat(answer).contains("PUBLISHED");
                assertThat(f.text(RunKeys.LATEST + ReportWriter.DISCREPANCIES))
                        .isEqualTo(Files.readString(ref.resolve(ReportWriter.DISCREPANCIES)));
                long publishes = f.lines.stream()
                        .filter(l -> l.contains("\"event\":\"run.succeeded\""))
                        .count();
                assertThat(handle(f, "glue-job-succeeded.json", jobRunId))
                        .as("a second delivery")
                        .contains("IGNORED");
                assertThat(handle(f, "glue-job-failed.json", jobRunId))
                        .as("a late failure")
                        .contains("IGNORED");
                assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.SUCCEEDED);
                assertThat(f.lines.stream()
                                .filter(l -> l.contains("\"event\":\"run.succeeded\""))
                                .count())
                        .isEqualTo(publishes);
            } else {
                assertThat(s.reason())
                        .as(c[0])
                        .contains("the Glue job run " + jobRunId)
                        .contains(c[2]);
                assertThat(f.store.head(RunKeys.LATEST + ReportWriter.DISCREPANCIES))
                        .isEmpty();
            }
        }
        RunFixture f = fixture();
        assertThat(handle(f, "glue-job-succeeded.json", "jr_unknown")).contains("IGNORED");
    }

    @Test
    void aStartWhoseAnswerWasLost_isAdopted_andA5xxThatDidNotLand_isRetried() {
        RunFixture f = fixture();
        f.upload(Tracker.PURCHASE, data.purchase());
        int before = STARTS.size();
        synchronized (START) {
            START.add(new String[] {LANDED_THEN_500, ""});
        }
        try {
            Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
            assertThat(p.outcome()).isEqualTo(Planner.Outcome.STARTED);
            assertThat(STARTS.size() - before).as("StartJobRun calls").isEqualTo(1);
            assertThat(f.manifest(p.runId()).glueJobRunId()).isEqualTo("jr_landed_" + STARTS.size());
            assertThat(f.lines)
                    .filteredOn(l -> l.contains("\"event\":\"glue.adopted\""))
                    .hasSize(1);
        } finally {
            LISTED.clear();
        }
        RunFixture g = fixture();
        g.upload(Tracker.PURCHASE, data.purchase());
        int mark = STARTS.size();
        synchronized (START) {
            START.add(new String[] {"500", "{\"__type\":\"InternalServiceException\",\"Message\":\"try later\"}"});
        }
        Planner.Planned q = g.upload(Tracker.INVENTORY, data.inventory());
        assertThat(q.outcome()).isEqualTo(Planner.Outcome.STARTED);
        assertThat(STARTS.size() - mark)
                .as("the 5xx did not land: one more try")
                .isEqualTo(2);
        assertThat(g.manifest(q.runId()).glueJobRunId()).isEqualTo("jr_" + STARTS.size());
    }

    @Test
    void aResume_adoptsTheJobRunAlreadyWorkingOnTheRun_insteadOfStartingASecond() throws Exception {
        RunFixture f = fixture();
        Planner.Planned p = plan(f);
        String first = f.manifest(p.runId()).glueJobRunId();
        assertThat(handle(f, "glue-job-failed.json", first)).contains("FAILED");
        LISTED.add(new String[] {"jr_orphan", p.runId(), "RUNNING"});
        int before = STARTS.size();
        try {
            f.upload(Tracker.INVENTORY, data.inventory());
        } finally {
            LISTED.clear();
        }
        assertThat(STARTS.size()).as("no second job run").isEqualTo(before);
        assertThat(f.manifest(p.runId()).glueJobRunId()).isEqualTo("jr_orphan");
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);
    }

    @Test
    void anEventFromAJobRunThatAResumeReplaced_changesNothing() throws Exception {
        RunFixture f = fixture();
        Planner.Planned p = plan(f);
        String first = f.manifest(p.runId()).glueJobRunId();
        assertThat(handle(f, "glue-job-failed.json", first)).contains("FAILED");
        Planner.Planned again = f.upload(Tracker.INVENTORY, data.inventory());
        assertThat(again.runId()).isEqualTo(p.runId());
        String second = f.manifest(p.runId()).glueJobRunId();
        assertThat(second).isNotEqualTo(first);
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);
        assertThat(handle(f, "glue-job-failed.json", first))
                .as("the old job run's event, delivered late")
                .contains("IGNORED");
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);
        assertThat(handle(f, "glue-job-stopped.json", second)).contains("FAILED");
        assertThat(f.status(p.runId()).fault()).isEqualTo(RunStatus.Fault.INTERNAL);
    }

    @Test
    void aJobThatFoundATrackerReplaced_failsTheRunAsTheInputsFault() throws Exception {
        RunFixture f = fixture();
        Planner.Planned p = plan(f);
        String jobRunId = f.manifest(p.runId()).glueJobRunId();
        handle(
                f,
                "glue-job-failed.json",
                jobRunId,
                "org.apache.spark.SparkException: Job aborted: "
                        + new ObjectChangedException("incoming/inventory/x.csv", "\\\"abc\\\"").getMessage());
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(f.status(p.runId()).fault()).isEqualTo(RunStatus.Fault.INPUT);
        assertThat(f.status(p.runId()).reason()).contains("incoming/inventory/x.csv was replaced or deleted");
    }

    @Test
    void aJobThatFoundAnUnreadableTracker_failsTheRunAsTheInputsFault() throws Exception {
        RunFixture f = fixture();
        Planner.Planned p = plan(f);
        String jobRunId = f.manifest(p.runId()).glueJobRunId();
        handle(
                f,
                "glue-job-failed.json",
                jobRunId,
                "java.lang.IllegalStateException: " + InputFault.MARK
                        + "purchase.csv row 3: the bytes are not valid UTF-8");
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(f.status(p.runId()).fault()).isEqualTo(RunStatus.Fault.INPUT);
        assertThat(f.status(p.runId()).reason()).contains("purchase.csv row 3");
    }

    @Test
    void theWatchdog_failsARunWhoseJobRunExpired_orEndedInAStateTallyDoesNotKnow() {
        for (String state : new String[] {"EXPIRED", "SOMETHING_NEW"}) {
            RunFixture f = new RunFixture(Map.of(
                    Env.INLINE_MAX_BYTES,
                    "0",
                    Env.GLUE_MIN_BYTES,
                    "1",
                    Env.GLUE_JOB_NAME,
                    "tally-reconcile",
                    Env.STALL_MINUTES,
                    "1"));
            f.wiring.withGlue(glue());
            Planner.Planned p = plan(f);
            jobRunState = state;
            try {
                f.wiring.watchdog().check(Instant.now().plusSeconds(3_600));
            } finally {
                jobRunState = "RUNNING";
            }
            assertThat(f.status(p.runId()).state()).as(state).isEqualTo(RunStatus.State.FAILED);
            assertThat(f.status(p.runId()).reason()).contains("ended " + state);
        }
    }

    @Test
    void theWatchdog_asksGlue_aboutARunThatNeverReportedBack() {
        RunFixture f = new RunFixture(Map.of(
                Env.INLINE_MAX_BYTES,
                "0",
                Env.GLUE_MIN_BYTES,
                "1",
                Env.GLUE_JOB_NAME,
                "tally-reconcile",
                Env.STALL_MINUTES,
                "1"));
        f.wiring.withGlue(glue());
        Planner.Planned p = plan(f);
        Instant later = Instant.now().plusSeconds(3_600);
        jobRunState = "RUNNING";
        assertThat(f.wiring.watchdog().check(later).stalledRuns()).isZero();
        assertThat(f.status(p.runId()).state())
                .as("a long Glue job is not a stall")
                .isEqualTo(RunStatus.State.RUNNING);
        jobRunState = "FAILED";
        try {
            f.wiring.watchdog().check(later.plusSeconds(3_600));
        } finally {
            jobRunState = "RUNNING";
        }
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(f.status(p.runId()).reason()).contains("ended FAILED: Executor lost");
    }
}
