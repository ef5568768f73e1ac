package io.tally.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.tally.core.RangePlan;
import io.tally.core.Tracker;
import io.tally.core.sample.SampleGenerator;
import io.tally.functions.aws.SqsMessageQueue;
import io.tally.functions.run.Json;
import io.tally.functions.run.Planner;
import io.tally.functions.run.RangeMessage;
import io.tally.storage.run.Latest;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The handlers fed the sample events in {@code events/}, verbatim as AWS sends them. */
class HandlerEventsIT {
    @TempDir
    static Path tmp;

    private static EmbeddedAws aws;

    @BeforeAll
    static void start() throws Exception {
        aws = EmbeddedAws.start(tmp.resolve("s3"));
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    @Test
    void sqsBatch_reportsOnlyTheBadMessageAsFailed() throws Exception {
        LocalPipeline.Settings d = LocalPipeline.Settings.defaults();
        try (LocalPipeline p = LocalPipeline.on(
                aws,
                "tally-sqs",
                new LocalPipeline.Settings(
                        Optional.of(Tier.FANOUT),
                        1 << 20,
                        10,
                        30,
                        1,
                        3,
                        d.tolerances(),
                        d.dateOrder(),
                        false,
                        Duration.ofMinutes(1)),
                l -> {},
                UnaryOperator.identity())) {
            SampleGenerator.Written w =
                    new SampleGenerator(new SampleGenerator.Options(500, 1, false)).write(tmp.resolve("d"));
            p.put(Tracker.PURCHASE, w.purchase());
            String etag = p.put(Tracker.INVENTORY, w.inventory());
            String answer = p.driver().upload(RunKeys.incoming(Tracker.INVENTORY) + "inventory.csv", 0, etag);
            Planner.Planned planned =
                    Json.read(answer, LocalPipeline.UploadAnswer.class).results()[0];
            Manifest m = Json.read(
                    p.wiring().store().get(RunKeys.manifest(planned.runId())).orElseThrow(), Manifest.class);
            RangePlan.Range r0 = m.plan().input(Tracker.PURCHASE).ranges().get(0);

            SQSEvent event = EventLoader.loadSQSEvent(
                    EventPaths.events().resolve("sqs-batch.json").toString());
            assertThat(event.getRecords()).hasSize(2);
            event.getRecords()
                    .get(0)
                    .setBody(new String(Json.bytes(new RangeMessage(planned.runId(), r0)), StandardCharsets.UTF_8));
            SQSBatchResponse response = p.functions().worker().handleRequest(event, null);
            assertThat(response.getBatchItemFailures())
                    .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .containsExactly("2e1424d4-f796-459a-8184-9c92662be6da");
            assertThat(p.wiring().store().head(RunKeys.partial(planned.runId(), r0)))
                    .isPresent();
        }
    }

    @Test
    void scheduledEvent_reportsStalledRunsAndMissingUploads() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (LocalPipeline p = LocalPipeline.on(
                aws, "tally-watch", LocalPipeline.Settings.defaults(), lines::add, UnaryOperator.identity())) {
            p.wiring()
                    .store()
                    .put(
                            RunKeys.status("stuck"),
                            Json.bytes(new RunStatus(
                                    "stuck", RunStatus.State.RUNNING, Tier.FANOUT, "", "", "2026-11-22T01:00:00Z")),
                            "application/json");
            p.wiring().store().put(RunKeys.running("stuck"), new byte[0], "text/plain");
            p.wiring()
                    .store()
                    .put(
                            RunKeys.status("fine"),
                            Json.bytes(new RunStatus(
                                    "fine", RunStatus.State.SUCCEEDED, Tier.FANOUT, "", "", "2026-11-22T01:00:00Z")),
                            "application/json");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // The sample event, verbatim but for its time: two hours after the markers were written just now.
            String event = Files.readString(EventPaths.events().resolve("scheduled-event.json"))
                    .replace(
                            "2026-11-22T07:00:00Z",
                            Instant.now().plus(Duration.ofHours(2)).toString());
            p.functions()
                    .watchdog()
                    .handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"stalledRuns\" : 1");
            assertThat(lines)
                    .anySatisfy(l ->
                            assertThat(l).contains("\"event\":\"run.stalled\"").contains("\"runId\":\"stuck\""));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"input.missing\""));
            assertThat(lines)
                    .anySatisfy(
                            l -> assertThat(l).contains("\"StalledRuns\":1.0").contains("\"HoursSinceUpload\""));
            // The stalled run is failed, so that a re-upload or a redrive can resume it.
            RunStatus stuck =
                    Json.read(p.wiring().store().get(RunKeys.status("stuck")).orElseThrow(), RunStatus.class);
            assertThat(stuck.state()).isEqualTo(RunStatus.State.FAILED);
            assertThat(stuck.reason()).startsWith("stalled: no progress for").contains("resume");
            assertThat(Json.read(p.wiring().store().get(RunKeys.status("fine")).orElseThrow(), RunStatus.class)
                            .state())
                    .isEqualTo(RunStatus.State.SUCCEEDED);
        }
    }

    @Test
    void nestedKeys_areNeitherTriggersNorInputs() throws Exception {
        try (LocalPipeline p = LocalPipeline.on(aws, "tally-nested", inline(), l -> {}, UnaryOperator.identity())) {
            SampleGenerator.Written w =
                    new SampleGenerator(new SampleGenerator.Options(300, 2, false)).write(tmp.resolve("n"));
            p.put(Tracker.PURCHASE, w.purchase());
            p.put(Tracker.INVENTORY, w.inventory());
            p.aws()
                    .s3()
                    .putObject(
                            b -> b.bucket("tally-nested").key("incoming/purchase/archive/old.csv"),
                            RequestBody.fromString("not,a,tracker\n"));
            assertThat(p.driver().upload("incoming/purchase/archive/old.csv", 14, ""))
                    .contains("\"IGNORED\"");
            String answer = p.driver().upload(RunKeys.incoming(Tracker.INVENTORY) + "inventory.csv", 0, "");
            assertThat(answer).contains("\"SUCCEEDED\"");
            String runId = Json.read(answer, LocalPipeline.UploadAnswer.class)
                    .results()[0]
                    .runId();
            Manifest m =
                    Json.read(p.wiring().store().get(RunKeys.manifest(runId)).orElseThrow(), Manifest.class);
            assertThat(m.source(Tracker.PURCHASE).key()).isEqualTo("incoming/purchase/purchase.csv");
        }
    }

    @Test
    void aSucceededRun_staysSucceeded_andAnOlderRun_leavesNewerReportsInLatest() throws Exception {
        try (LocalPipeline p = LocalPipeline.on(aws, "tally-latest", inline(), l -> {}, UnaryOperator.identity())) {
            SampleGenerator.Written w =
                    new SampleGenerator(new SampleGenerator.Options(300, 3, false)).write(tmp.resolve("l"));
            p.put(Tracker.PURCHASE, w.purchase());
            p.put(Tracker.INVENTORY, w.inventory());
            // reports/latest/ already holds a run on uploads from the future.
            p.wiring()
                    .store()
                    .put(
                            RunKeys.LATEST_POINTER,
                            Json.bytes(new Latest("future", "2999-01-01T00:00:00Z", "reports/future/")),
                            "application/json");
            String answer = p.driver().upload(RunKeys.incoming(Tracker.INVENTORY) + "inventory.csv", 0, "");
            String runId = Json.read(answer, LocalPipeline.UploadAnswer.class)
                    .results()[0]
                    .runId();
            assertThat(p.driver().status(runId).orElseThrow().state()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(p.wiring().store().head(RunKeys.reports(runId) + "discrepancies.csv"))
                    .isPresent();
            assertThat(p.wiring().store().head(RunKeys.LATEST + "discrepancies.csv"))
                    .isEmpty();

            p.wiring().ledger("test").fail(runId, Tier.INLINE, "a late duplicate failed");
            assertThat(p.driver().status(runId).orElseThrow().state()).isEqualTo(RunStatus.State.SUCCEEDED);
        }
    }

    @Test
    void corruptPartial_failsTheRun_releasesTheLock_andAResumeAfterTheFixSucceeds() throws Exception {
        LocalPipeline.Settings d = LocalPipeline.Settings.defaults();
        try (LocalPipeline p = LocalPipeline.on(
                aws,
                "tally-corrupt",
                new LocalPipeline.Settings(
                        Optional.of(Tier.FANOUT),
                        64 << 10,
                        10,
                        30,
                        1,
                        3,
                        d.tolerances(),
                        d.dateOrder(),
                        false,
                        Duration.ofMinutes(1)),
                l -> {},
                UnaryOperator.identity())) {
            SampleGenerator.Written w =
                    new SampleGenerator(new SampleGenerator.Options(3000, 4, false)).write(tmp.resolve("c"));
            p.put(Tracker.PURCHASE, w.purchase());
            String etag = p.put(Tracker.INVENTORY, w.inventory());
            String runId = Json.read(
                            p.driver().upload(RunKeys.incoming(Tracker.INVENTORY) + "inventory.csv", 0, etag),
                            LocalPipeline.UploadAnswer.class)
                    .results()[0]
                    .runId();
            Manifest m =
                    Json.read(p.wiring().store().get(RunKeys.manifest(runId)).orElseThrow(), Manifest.class);
            p.driver().settle(Duration.ofMinutes(1));
            assertThat(p.driver().status(runId).orElseThrow().state()).isEqualTo(RunStatus.State.SUCCEEDED);

            // Damage one partial and reduce again, on the last allowed delivery: the run fails, and both locks
            // are let go.
            String key = RunKeys.partial(
                    runId, m.plan().input(Tracker.PURCHASE).ranges().get(0));
            byte[] good = p.wiring().store().get(key).orElseThrow();
            p.wiring().store().put(key, Arrays.copyOf(good, good.length / 2), "application/octet-stream");
            p.wiring().store().delete(RunKeys.status(runId));
            // The successful reducer's lease stays (it marks the run reduced): let it go, as if it had expired.
            p.wiring().store().list(RunKeys.reducingLeases(runId)).forEach(l -> p.wiring()
                    .store()
                    .delete(l.key()));
            Assertions.assertThatThrownBy(() -> p.wiring().reducer().reduce(runId, 3))
                    .hasMessageContaining("unreadable after 3 reads");
            RunStatus failed = p.driver().status(runId).orElseThrow();
            assertThat(failed.state()).isEqualTo(RunStatus.State.FAILED);
            assertThat(failed.reason()).contains("unreadable after 3 reads");
            assertThat(p.wiring().store().head(RunKeys.reduceLock(runId))).isEmpty();
            assertThat(p.wiring().store().list(RunKeys.reducingLeases(runId)))
                    .as("the failed reducer's lease")
                    .isEmpty();

            // After the fix (here: the partial restored), re-running the same inputs requests the reduce again.
            p.wiring().store().put(key, good, "application/octet-stream");
            Instant resumed = Instant.now();
            assertThat(p.driver().upload(RunKeys.incoming(Tracker.INVENTORY) + "inventory.csv", 0, etag))
                    .contains("\"RESUMED\"");
            assertThat(p.driver()
                            .drain(runId, m.rangeCount(), LocalDriver.Listener.NONE, resumed)
                            .state())
                    .isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(m.rangeCount()).isGreaterThan(2);
        }
    }

    @Test
    void theLastDelivery_isReadFromTheQueuesOwnRedrivePolicy() {
        EmbeddedAws.Queues q = aws.createQueues("tally-redrive-check", 4, 30);
        assertThat(new SqsMessageQueue(aws.sqs(), q.url()).maxReceiveCount()).hasValue(4);
        assertThat(new SqsMessageQueue(aws.sqs(), q.deadLetterUrl()).maxReceiveCount())
                .as("a dead-letter queue has no redrive policy of its own")
                .isEmpty();
    }

    private static LocalPipeline.Settings inline() {
        LocalPipeline.Settings d = LocalPipeline.Settings.defaults();
        return new LocalPipeline.Settings(
                Optional.of(Tier.INLINE),
                1 << 20,
                10,
                30,
                1,
                3,
                d.tolerances(),
                d.dateOrder(),
                false,
                Duration.ofMinutes(1));
    }

    /** Where the sample events are. */
    static final class EventPaths {
        static Path events() {
            return Path.of(System.getProperty("tally.events", "../events"));
        }
    }
}
