package io.tally.functions.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.core.Engine;
import io.tally.core.LocalRun;
import io.tally.core.RangePlan;
import io.tally.core.ReportWriter;
import io.tally.core.Tracker;
import io.tally.core.sample.SampleGenerator;
import io.tally.names.Env;
import io.tally.storage.run.Latest;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunStatus;
import io.tally.storage.run.Tier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run logic (planner, chunk worker, reducer, publisher, watchdog) on in-memory adapters, without the
 * emulators: messages are delivered by hand, as Lambda would deliver them.
 */
class RunLogicTest {
    @TempDir
    static Path tmp;

    private static SampleGenerator.Written data;
    private static Map<String, String> expected;

    @BeforeAll
    static void reference() throws IOException {
        data = RunFixture.sample(tmp.resolve("data"), 3_000, 9);
        Path ref = tmp.resolve("reference");
        LocalRun.run(data.purchase(), data.inventory(), ref, LocalRun.Options.defaults(), Engine.Progress.NONE);
        expected = new TreeMap<>();
        for (String f : ReportWriter.SAME_ON_EVERY_PATH) {
            expected.put(f, Files.readString(ref.resolve(f)));
        }
    }

    /** Uploads both trackers of a fan-out run and works every range: the run waits for its reduce. */
    private static Planner.Planned rangesDone(RunFixture f) {
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        f.workAllRanges();
        f.secondRound();
        return p;
    }

    private static Map<String, String> reports(RunFixture f, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (String name : ReportWriter.SAME_ON_EVERY_PATH) {
            out.put(name, f.text(prefix + name));
        }
        return out;
    }

    @Test
    void planner_waitsForTheOtherTracker() {
        RunFixture f = RunFixture.inline();
        Planner.Planned p = f.upload(Tracker.PURCHASE, data.purchase());
        assertThat(p.outcome()).isEqualTo(Planner.Outcome.WAITING);
        assertThat(p.runId()).isEmpty();
    }

    @Test
    void planner_smallInputs_reconcilesInline_andPublishesTheLocalReports() {
        RunFixture f = RunFixture.inline();
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        assertThat(p.outcome()).isEqualTo(Planner.Outcome.SUCCEEDED);
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.SUCCEEDED);
        assertThat(reports(f, RunKeys.reports(p.runId()))).isEqualTo(expected);
        assertThat(reports(f, RunKeys.LATEST)).isEqualTo(expected);
        assertThat(f.ranges.sent()).isZero();
        assertThat(f.manifest(p.runId()).rangeCount()).isZero();
    }

    @Test
    void fanOut_sendsOneMessagePerPlannedRange_theLastWorkerRequestsOneReduce_andTheReportsMatch() {
        RunFixture f = RunFixture.fanOut(16 << 10);
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        assertThat(p.outcome()).isEqualTo(Planner.Outcome.STARTED);
        Manifest m = f.manifest(p.runId());
        assertThat(m.version()).isEqualTo(Manifest.VERSION);
        assertThat(m.rangeCount()).isGreaterThan(4).isEqualTo(f.ranges.waiting());
        assertThat(m.plan().input(Tracker.PURCHASE).ranges().get(0).start())
                .isEqualTo(m.plan().layout(Tracker.PURCHASE).dataStart());

        f.workAllRanges();
        assertThat(f.store.list(RunKeys.partials(p.runId()))).hasSize(m.rangeCount());
        assertThat(f.reduces.sent()).as("exactly one reduce request").isEqualTo(1);
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);

        f.reduceAll();
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.SUCCEEDED);
        assertThat(reports(f, RunKeys.LATEST)).isEqualTo(expected);
        assertThat(f.lines).anySatisfy(l -> assertThat(l).contains("\"ReduceDuration\""));
    }

    @Test
    void sameUploadAgain_findsTheRun_andStartsNothing() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned first = f.upload(Tracker.INVENTORY, data.inventory());
        int sent = f.ranges.sent();
        Planner.Planned again = f.wiring
                .planner()
                .onUpload(RunKeys.incoming(Tracker.INVENTORY) + data.inventory().getFileName());
        assertThat(again.outcome()).isEqualTo(Planner.Outcome.EXISTS);
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(f.ranges.sent()).isEqualTo(sent);
    }

    @Test
    void planner_unreadableTracker_failsTheRunWithTheFileAndRow_andWritesNoManifest() {
        RunFixture f = RunFixture.inline();
        f.upload(Tracker.PURCHASE, "p.csv", "DATE,NOTHING ELSE\n2024-01-01,x\n");
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        assertThat(p.outcome()).isEqualTo(Planner.Outcome.FAILED);
        assertThat(f.status(p.runId()).reason())
                .contains("p.csv")
                .contains("row 1")
                .contains("NUMBER OF BIRDS");
        assertThat(f.store.head(RunKeys.manifest(p.runId()))).isEmpty();
    }

    @Test
    void worker_failingBeforeItsLastDelivery_throwsForARetry_andOnTheLast_failsTheRun() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        String body = f.ranges.poll();
        RangeMessage m = Json.read(body, RangeMessage.class);
        // A range the plan does not hold: the read fails however often it is tried.
        RangePlan.Range bogus = new RangePlan.Range(
                m.range().tracker(), m.range().n(), m.range().start(), Long.MAX_VALUE);
        String broken = new String(Json.bytes(new RangeMessage(p.runId(), bogus)), StandardCharsets.UTF_8);
        f.store.delete(RunKeys.partial(p.runId(), m.range()));
        f.store.put(
                RunKeys.manifest(p.runId()),
                f.store.get(RunKeys.manifest(p.runId())).orElseThrow(),
                "x");

        assertThatThrownBy(() -> f.wiring.worker().process(Json.read(broken, RangeMessage.class), 1))
                .isInstanceOf(RuntimeException.class);
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);
        assertThat(f.store.head(RunKeys.error(p.runId(), bogus))).isPresent();

        assertThatThrownBy(() -> f.wiring.worker().process(Json.read(broken, RangeMessage.class), 3))
                .isInstanceOf(RuntimeException.class);
        RunStatus s = f.status(p.runId());
        assertThat(s.state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(s.reason())
                .contains("range " + bogus.label())
                .contains("delivery 3 of 3")
                .contains("dead-letter queue");
    }

    @Test
    void worker_trackerReplacedMidRun_failsTheRunAtOnce_withoutARetry() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        f.store.put(
                RunKeys.incoming(Tracker.PURCHASE) + data.purchase().getFileName(),
                "changed".getBytes(StandardCharsets.UTF_8),
                "text/csv");
        String body = f.ranges.poll();
        while (!Json.read(body, RangeMessage.class).range().tracker().equals(Tracker.PURCHASE)) {
            body = f.ranges.poll();
        }
        f.wiring.worker().process(Json.read(body, RangeMessage.class), 1);
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(f.status(p.runId()).reason()).contains("was replaced or deleted while the run was reading it");
    }

    @Test
    void reducer_duplicateDelivery_whileTheLeaseIsHeld_writesNothing_andAfterSuccess_skips() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        Planner.Planned p = rangesDone(f);
        f.store.setClock(Instant.now());
        f.store.put(
                RunKeys.reducingLease(p.runId(), 1), "a live reducer".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(f.wiring.reducer().reduce(p.runId(), 1)).isEqualTo(Reducer.Outcome.BUSY);
        assertThat(f.store.head(RunKeys.reports(p.runId()) + ReportWriter.DISCREPANCIES))
                .isEmpty();

        // A lease older than a Lambda can live belongs to a dead reducer: the next generation takes over.
        f.store.setClock(Instant.now().minus(Duration.ofMinutes(20)));
        f.store.put(
                RunKeys.reducingLease(p.runId(), 1), "a dead reducer".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(f.wiring.reducer().reduce(p.runId(), 2)).isEqualTo(Reducer.Outcome.REDUCED);
        assertThat(f.store.head(RunKeys.reducingLease(p.runId(), 2)))
                .as("kept: it marks the run reduced")
                .isPresent();
        assertThat(f.wiring.reducer().reduce(p.runId(), 3))
                .as("a late duplicate")
                .isEqualTo(Reducer.Outcome.ALREADY_DONE);
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.SUCCEEDED);
    }

    @Test
    void reducer_failingBeforeItsLastDelivery_isRetried_andOnTheLast_failsTheRunAndFreesBothLocks() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        Planner.Planned p = rangesDone(f);
        String partial = f.store.list(RunKeys.partials(p.runId())).get(0).key();
        f.store.put(partial, "not a partial".getBytes(StandardCharsets.UTF_8), "application/octet-stream");

        assertThatThrownBy(() -> f.wiring.reducer().reduce(p.runId(), 1)).hasMessageContaining("unreadable");
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);
        assertThat(f.store.list(RunKeys.reducingLeases(p.runId())))
                .as("the failed reducer lets its lease go")
                .isEmpty();
        assertThat(f.store.head(RunKeys.reduceLock(p.runId())))
                .as("kept: the queue retries")
                .isPresent();

        assertThatThrownBy(() -> f.wiring.reducer().reduce(p.runId(), 3)).hasMessageContaining("unreadable");
        RunStatus s = f.status(p.runId());
        assertThat(s.state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(s.reason()).contains("the reduce failed on delivery 3 of 3").contains("reduce dead-letter queue");
        assertThat(f.store.head(RunKeys.reduceLock(p.runId()))).isEmpty();
        assertThat(f.store.head(RunKeys.LATEST + ReportWriter.DISCREPANCIES)).isEmpty();
    }

    @Test
    void reducer_failingWhileItsReportsStream_leavesNoReport_andLatestAsItWas() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        Planner.Planned p = rangesDone(f);
        f.store.beforeUpload = key -> {
            if (key.endsWith(ReportWriter.REJECTED)) {
                throw new IllegalStateException("S3 refused the upload");
            }
        };

        assertThatThrownBy(() -> f.wiring.reducer().reduce(p.runId(), 1)).hasMessageContaining("S3 refused");
        assertThat(f.store.list(RunKeys.reports(p.runId())))
                .as("the streamed reports were aborted")
                .isEmpty();
        assertThat(f.store.list(RunKeys.LATEST)).isEmpty();
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.RUNNING);

        f.store.beforeUpload = key -> {};
        assertThat(f.wiring.reducer().reduce(p.runId(), 2)).isEqualTo(Reducer.Outcome.REDUCED);
        assertThat(reports(f, RunKeys.reports(p.runId()))).isEqualTo(expected);
        assertThat(reports(f, RunKeys.LATEST)).isEqualTo(expected);
    }

    @Test
    void reducer_outOfMemory_failsTheRunAtOnce_sayingWhatItHeld_andFreesBothLocks() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        Planner.Planned p = rangesDone(f);
        String last = f.store.list(RunKeys.partials(p.runId())).get(5).key();
        f.store.beforeOpen = key -> {
            if (key.equals(last)) {
                throw new OutOfMemoryError("Java heap space");
            }
        };

        assertThat(f.wiring.reducer().reduce(p.runId(), 1)).isEqualTo(Reducer.Outcome.TOO_LARGE);
        RunStatus s = f.status(p.runId());
        assertThat(s.state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(s.reason())
                .startsWith("the reducer ran out of memory (Java heap space) holding ")
                .contains("(date, officer) keys")
                .contains("TALLY_GLUE_MIN_BYTES")
                .doesNotContain("\n");
        assertThat(f.store.list(RunKeys.reducingLeases(p.runId()))).isEmpty();
        assertThat(f.store.head(RunKeys.reduceLock(p.runId())))
                .as("a resume may request the reduce again")
                .isEmpty();
        assertThat(f.store.head(RunKeys.LATEST + ReportWriter.DISCREPANCIES)).isEmpty();
    }

    @Test
    void resume_afterAFailedRange_sendsOnlyTheMissingRanges() {
        RunFixture f = RunFixture.fanOut(64 << 10);
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        int total = f.manifest(p.runId()).rangeCount();
        String lost = f.ranges.poll();
        f.workAllRanges();
        f.wiring.ledger("test").fail(p.runId(), Tier.FANOUT, "range lost");

        Planner.Planned again = f.wiring
                .planner()
                .onUpload(RunKeys.incoming(Tracker.INVENTORY) + data.inventory().getFileName());
        assertThat(again.outcome()).isEqualTo(Planner.Outcome.RESUMED);
        assertThat(f.ranges.waiting()).isEqualTo(1);
        assertThat(f.ranges.poll()).isEqualTo(lost);
        assertThat(total).isGreaterThan(1);
    }

    @Test
    void resume_ofAnInlineRunThatFailsAgain_saysFailed_notResumed() {
        RunFixture f = RunFixture.inline();
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        Manifest m = f.manifest(p.runId());
        // The purchase object the manifest pins is gone (its ETag no longer matches): the re-run cannot read it.
        List<Manifest.Source> sources = m.sources().stream()
                .map(s -> s.tracker() == Tracker.PURCHASE
                        ? new Manifest.Source(s.tracker(), s.key(), "\"gone\"", s.size(), s.lastModified())
                        : s)
                .toList();
        f.store.put(
                RunKeys.manifest(p.runId()),
                Json.bytes(new Manifest(
                        m.version(),
                        m.runId(),
                        m.createdAt(),
                        m.tier(),
                        m.toleranceKg(),
                        m.tolerancePct(),
                        m.dateOrder(),
                        sources,
                        m.plan())),
                "application/json");
        f.store.put(
                RunKeys.status(p.runId()),
                Json.bytes(new RunStatus(
                        p.runId(),
                        RunStatus.State.FAILED,
                        Tier.INLINE,
                        "earlier failure",
                        "",
                        Instant.now().toString())),
                "application/json");

        Planner.Planned again = f.wiring
                .planner()
                .onUpload(RunKeys.incoming(Tracker.INVENTORY) + data.inventory().getFileName());
        assertThat(again.outcome()).isEqualTo(Planner.Outcome.FAILED);
        assertThat(f.status(p.runId()).reason()).contains("was replaced or deleted");
    }

    @Test
    void publisher_aRunOnOlderUploads_leavesLatestAlone_andFailedNeverReplacesSucceeded() {
        RunFixture f = RunFixture.inline();
        f.store.put(
                RunKeys.LATEST_POINTER,
                Json.bytes(new Latest("future", "2999-01-01T00:00:00Z", "reports/future/")),
                "application/json");
        f.upload(Tracker.PURCHASE, data.purchase());
        Planner.Planned p = f.upload(Tracker.INVENTORY, data.inventory());
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.SUCCEEDED);
        assertThat(f.store.head(RunKeys.LATEST + ReportWriter.DISCREPANCIES)).isEmpty();
        f.wiring.ledger("test").fail(p.runId(), Tier.INLINE, "late duplicate");
        assertThat(f.status(p.runId()).state()).isEqualTo(RunStatus.State.SUCCEEDED);
    }

    @Test
    void watchdog_failsAStalledRun_leavesAFreshOne_andReportsUploadAge() {
        RunFixture f = new RunFixture(Map.of(Env.STALL_MINUTES, "30"));
        f.store.setClock(Instant.parse("2026-11-29T00:00:00Z"));
        f.store.put(RunKeys.incoming(Tracker.PURCHASE) + "p.csv", new byte[] {1}, "text/csv");
        f.store.put(RunKeys.incoming(Tracker.INVENTORY) + "i.csv", new byte[] {1}, "text/csv");
        Instant now = Instant.parse("2026-11-29T06:00:00Z");
        f.store.setClock(now.minus(Duration.ofHours(30)));
        f.store.put(RunKeys.incoming(Tracker.INVENTORY) + "old.csv", new byte[] {1}, "text/csv");
        f.store.setClock(Instant.parse("2026-11-29T00:00:00Z"));
        for (String id : List.of("stuck", "fresh", "ended")) {
            f.store.put(RunKeys.running(id), new byte[0], "text/plain");
        }
        f.store.put(
                RunKeys.status("stuck"),
                Json.bytes(new RunStatus(
                        "stuck",
                        RunStatus.State.RUNNING,
                        Tier.FANOUT,
                        "",
                        "",
                        now.minus(Duration.ofHours(2)).toString())),
                "application/json");
        f.store.put(
                RunKeys.status("fresh"),
                Json.bytes(new RunStatus(
                        "fresh",
                        RunStatus.State.RUNNING,
                        Tier.FANOUT,
                        "",
                        "",
                        now.minus(Duration.ofMinutes(5)).toString())),
                "application/json");
        f.store.put(
                RunKeys.status("ended"),
                Json.bytes(new RunStatus(
                        "ended",
                        RunStatus.State.SUCCEEDED,
                        Tier.FANOUT,
                        "",
                        "",
                        now.minus(Duration.ofHours(9)).toString())),
                "application/json");
        f.store.put(
                RunKeys.status("unmarked"),
                Json.bytes(new RunStatus(
                        "unmarked",
                        RunStatus.State.RUNNING,
                        Tier.FANOUT,
                        "",
                        "",
                        now.minus(Duration.ofHours(9)).toString())),
                "application/json");

        Watchdog.Findings found = f.wiring.watchdog().check(now);
        assertThat(found.stalledRuns()).isEqualTo(1);
        assertThat(found.byTracker().get(Tracker.PURCHASE)).isCloseTo(6.0, Offset.offset(0.1));
        assertThat(found.byTracker().get(Tracker.INVENTORY)).isCloseTo(6.0, Offset.offset(0.1));
        assertThat(f.status("stuck").state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(f.store.head(RunKeys.running("stuck")))
                .as("a failed run is no longer marked")
                .isEmpty();
        assertThat(f.status("fresh").state()).isEqualTo(RunStatus.State.RUNNING);
        assertThat(f.store.head(RunKeys.running("ended")))
                .as("a stale marker is tidied")
                .isEmpty();
        assertThat(f.status("unmarked").state()).as("only marked runs are read").isEqualTo(RunStatus.State.RUNNING);
        assertThat(f.lines).anySatisfy(l -> assertThat(l)
                .contains("\"HoursSincePurchaseUpload\"")
                .contains("\"HoursSinceInventoryUpload\""));
    }

    @Test
    void watchdog_freshPurchases_doNotHideAStalledInventoryFeed() {
        RunFixture f = new RunFixture(Map.of(Env.MAX_UPLOAD_AGE_HOURS, "24"));
        Instant now = Instant.parse("2026-11-29T06:00:00Z");
        f.store.setClock(now.minus(Duration.ofHours(50)));
        f.store.put(RunKeys.incoming(Tracker.INVENTORY) + "i.csv", new byte[] {1}, "text/csv");
        f.store.setClock(now.minus(Duration.ofHours(1)));
        f.store.put(RunKeys.incoming(Tracker.PURCHASE) + "p.csv", new byte[] {1}, "text/csv");

        Watchdog.Findings found = f.wiring.watchdog().check(now);
        assertThat(found.hoursSinceUpload()).isCloseTo(50.0, Offset.offset(0.1));
        assertThat(found.byTracker().get(Tracker.PURCHASE)).isCloseTo(1.0, Offset.offset(0.1));
        assertThat(f.lines)
                .anySatisfy(l ->
                        assertThat(l).contains("\"event\":\"input.missing\"").contains("\"tracker\":\"inventory\""));
        assertThat(f.lines)
                .noneSatisfy(l ->
                        assertThat(l).contains("\"event\":\"input.missing\"").contains("\"tracker\":\"purchase\""));
    }
}
