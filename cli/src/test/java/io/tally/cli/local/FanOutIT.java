package io.tally.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.Engine;
import io.tally.core.LocalRun;
import io.tally.core.ReportWriter;
import io.tally.core.Tracker;
import io.tally.core.sample.SampleGenerator;
import io.tally.functions.run.Json;
import io.tally.functions.run.Planner;
import io.tally.functions.run.Reducer;
import io.tally.storage.ObjectStore;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serverless flow end to end, with the real AWS SDK v2 clients against s3proxy and ElasticMQ running
 * in this JVM, the real handlers driven as Lambda drives them. Every successful run must give the same
 * bytes as {@code tally reconcile} on the same files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FanOutIT {
    private static final long TINY_RANGE = 64 << 10;

    @TempDir
    static Path tmp;

    private EmbeddedAws aws;
    private Path purchase;
    private Path inventory;
    private Map<String, String> expected;
    private final AtomicInteger buckets = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        aws = EmbeddedAws.start(tmp.resolve("s3"));
        SampleGenerator.Written w =
                new SampleGenerator(new SampleGenerator.Options(100_000, 11, true)).write(tmp.resolve("data"));
        purchase = w.purchase();
        inventory = w.inventory();
        Path ref = tmp.resolve("reference");
        LocalRun.run(purchase, inventory, ref, LocalRun.Options.defaults(), Engine.Progress.NONE);
        expected = reports(ref);
        assertThat(expected.get(ReportWriter.REJECTED).lines().count())
                .as("messy data has rejected rows")
                .isGreaterThan(100);
    }

    @AfterAll
    void stop() throws Exception {
        aws.close();
    }

    @Test
    void inlineRun_givesTheReconcileReports() throws Exception {
        try (LocalPipeline p = pipeline(settings(Tier.INLINE, TINY_RANGE, false), UnaryOperator.identity())) {
            LocalPipeline.Result r = p.run(purchase, inventory, LocalDriver.Listener.NONE);
            assertThat(r.status().state()).as(r.status().reason()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(r.status().tier()).isEqualTo(Tier.INLINE);
            assertThat(latest(p)).isEqualTo(expected);
        }
    }

    @Test
    void fanOut_messyPair_tinyRanges_givesTheReconcileReports() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Set<String> progressed = ConcurrentHashMap.newKeySet();
        try (LocalPipeline p = LocalPipeline.on(
                aws, bucket(), settings(Tier.FANOUT, TINY_RANGE, false), lines::add, UnaryOperator.identity())) {
            LocalPipeline.Result r = p.run(purchase, inventory, (range, done, total) -> progressed.add(range.label()));
            assertThat(r.status().state()).as(r.status().reason()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(r.ranges()).isGreaterThan(150);
            assertThat(progressed).hasSize(r.ranges());
            assertThat(latest(p)).isEqualTo(expected);
            assertThat(reportsOf(p, r.runId())).isEqualTo(expected);
        }
        // Observability: EMF lines with the function and tier dimensions, one JSON log line per event with the run id.
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .contains("\"_aws\"")
                .contains("\"BytesProcessed\"")
                .contains("[\"function\",\"tier\"]")
                .contains("\"tier\":\"FANOUT\""));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .contains("\"RowsRead\"")
                .contains("\"KeysDiscrepancy\"")
                .contains("\"ChickenLossKg\"")
                .contains("\"RunDuration\"")
                .contains("\"RunsSucceeded\""));
        assertThat(lines.stream().filter(l -> l.contains("\"event\":\"range.done\"")))
                .allSatisfy(l -> assertThat(l).contains("\"runId\":\"").contains("\"range\":"));
    }

    @Test
    void everyMessageDeliveredTwice_givesTheSameReports() throws Exception {
        try (LocalPipeline p = pipeline(settings(Tier.FANOUT, TINY_RANGE * 4, true), UnaryOperator.identity())) {
            LocalPipeline.Result r = p.run(purchase, inventory, LocalDriver.Listener.NONE);
            assertThat(r.status().state()).as(r.status().reason()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(latest(p)).isEqualTo(expected);
        }
    }

    @Test
    void workerFailingOnThirtyPercentOfFirstDeliveries_givesTheSameReports() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger thrown = new AtomicInteger();
        Consumer<String> flaky = range -> {
            if (seen.add(range) && random.split().nextDouble() < 0.3) {
                thrown.incrementAndGet();
                throw new IllegalStateException("injected failure on the first delivery of " + range);
            }
        };
        // A visibility timeout that a slow batch on a loaded machine cannot outlast: with 1 s, a batch of ten taking
        // longer came back while still being worked on, and a range failed once went to the dead-letter queue on its
        // third receive, which says nothing about Tally.
        try (LocalPipeline p =
                pipeline(slowVisible(settings(Tier.FANOUT, TINY_RANGE * 4, false)), hooked(TINY_RANGE * 4, flaky))) {
            LocalPipeline.Result r = p.run(purchase, inventory, LocalDriver.Listener.NONE);
            assertThat(r.status().state()).as(r.status().reason()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(thrown.get()).isGreaterThan(3);
            assertThat(latest(p)).isEqualTo(expected);
            assertThat(p.driver().deadLetters()).isZero();
        }
    }

    @Test
    void poisonRange_goesToTheDeadLetterQueue_failsTheRun_leavesLatestAlone_andRedriveCompletesIt() throws Exception {
        AtomicBoolean poisoned = new AtomicBoolean(true);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        Consumer<String> hook = range -> {
            reads.computeIfAbsent(range, k -> new AtomicInteger()).incrementAndGet();
            if (poisoned.get() && range.equals("purchase-2")) {
                throw new IllegalStateException("poison in " + range);
            }
        };
        try (LocalPipeline p = pipeline(settings(Tier.FANOUT, TINY_RANGE * 8, false), hooked(TINY_RANGE * 8, hook))) {
            // A first, good run publishes reports/latest/.
            Path small = tmp.resolve("small");
            SampleGenerator.Written w = new SampleGenerator(new SampleGenerator.Options(2_000, 5, false)).write(small);
            poisoned.set(false);
            assertThat(p.run(w.purchase(), w.inventory(), LocalDriver.Listener.NONE)
                            .status()
                            .state())
                    .isEqualTo(RunStatus.State.SUCCEEDED);
            Map<String, String> before = latest(p);
            reads.clear();
            poisoned.set(true);

            LocalPipeline.Result r = p.run(purchase, inventory, LocalDriver.Listener.NONE);
            assertThat(r.status().state()).isEqualTo(RunStatus.State.FAILED);
            assertThat(r.status().reason())
                    .contains("range purchase-2")
                    .contains("poison in purchase-2")
                    .contains("dead-letter queue");
            awaitDeadLetters(p, 1);
            assertThat(latest(p)).isEqualTo(before);
            assertThat(p.wiring().store().head(RunKeys.reports(r.runId()) + ReportWriter.DISCREPANCIES))
                    .isEmpty();

            // After the fix, a redrive completes the run and keeps the partials that already exist.
            poisoned.set(false);
            Map<String, Integer> readsBefore = snapshot(reads);
            Instant redriven = Instant.now();
            assertThat(p.driver().redriveDeadLetters()).isEqualTo(1);
            RunStatus done = p.driver().drain(r.runId(), r.ranges(), LocalDriver.Listener.NONE, redriven);
            assertThat(done.state()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(latest(p)).isEqualTo(expected);
            Map<String, Integer> readsAfter = snapshot(reads);
            // The second round (invoices.csv) reads each span again from its first record; the first span of each
            // tracker starts where range 0 does, so it counts as one more read of range 0.
            readsAfter.forEach((range, n) -> {
                if (!range.equals("purchase-2")) {
                    assertThat(n)
                            .as("range %s is not read again", range)
                            .isEqualTo(readsBefore.get(range) + (range.endsWith("-0") ? 1 : 0));
                }
            });
        }
    }

    @Test
    void rerunningFailedInputs_afterAFix_reusesThePartials() throws Exception {
        AtomicBoolean poisoned = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        Consumer<String> hook = range -> {
            reads.incrementAndGet();
            if (poisoned.get() && range.equals("inventory-1")) {
                throw new IllegalStateException("poison");
            }
        };
        try (LocalPipeline p = pipeline(settings(Tier.FANOUT, TINY_RANGE * 8, false), hooked(TINY_RANGE * 8, hook))) {
            LocalPipeline.Result r = p.run(purchase, inventory, LocalDriver.Listener.NONE);
            assertThat(r.status().state()).isEqualTo(RunStatus.State.FAILED);
            poisoned.set(false);
            reads.set(0);
            awaitDeadLetters(p, 1);
            Instant rerun = Instant.now();
            String again = p.driver().upload(RunKeys.incoming(Tracker.INVENTORY) + inventory.getFileName(), 0, "");
            assertThat(again).contains("\"RESUMED\"").contains(r.runId());
            RunStatus done = p.driver().drain(r.runId(), r.ranges(), LocalDriver.Listener.NONE, rerun);
            assertThat(done.state()).isEqualTo(RunStatus.State.SUCCEEDED);
            // Plus the second round's (invoices.csv) read of each tracker's first span, which starts where range 0
            // does: the other spans start at record starts the range labels do not name.
            assertThat(reads.get()).as("only the missing range is read again").isEqualTo(1 + 2);
            assertThat(latest(p)).isEqualTo(expected);
        }
    }

    @Test
    void twoReducersRacing_exactlyOneWrites() throws Exception {
        try (LocalPipeline p = pipeline(settings(Tier.FANOUT, TINY_RANGE * 8, false), UnaryOperator.identity())) {
            LocalPipeline.Result r = p.run(purchase, inventory, LocalDriver.Listener.NONE);
            assertThat(r.status().state()).as(r.status().reason()).isEqualTo(RunStatus.State.SUCCEEDED);
            p.wiring().store().delete(RunKeys.status(r.runId()));
            p.wiring().store().list(RunKeys.reducingLeases(r.runId())).forEach(l -> p.wiring()
                    .store()
                    .delete(l.key()));
            int racers = 8;
            List<Thread> threads = new ArrayList<>();
            AtomicInteger winners = new AtomicInteger();
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int k = 0; k < racers; k++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        if (p.wiring().reducer().reduce(r.runId(), 1) == Reducer.Outcome.REDUCED) {
                            winners.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException | Error e) {
                        thrown.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(thrown).as("no racer may fail").isEmpty();
            assertThat(winners.get()).isEqualTo(1);
            assertThat(p.driver().status(r.runId()).orElseThrow().state()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(latest(p)).isEqualTo(expected);
        }
    }

    @Test
    void failingReduce_isRetried_endsInTheReduceDeadLetterQueue_andARedriveAfterTheFixCompletesTheRun()
            throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        HookedStore.Labels labels = HookedStore.Labels.of(purchase, inventory, TINY_RANGE * 8);
        UnaryOperator<ObjectStore> flakyPartials = store -> new HookedStore(store, labels, range -> {}, key -> {
            if (broken.get() && key.contains("/partials/")) {
                failures.incrementAndGet();
                throw new IllegalStateException("partials unreachable");
            }
        });
        // As above: a range batch outlasting a 1 s visibility timeout came back after the failed reduce had let its
        // lock go, requested the reduce again, and put a second message in the reduce dead-letter queue.
        try (LocalPipeline p = pipeline(slowVisible(settings(Tier.FANOUT, TINY_RANGE * 8, false)), flakyPartials)) {
            LocalPipeline.Result r = p.run(purchase, inventory, LocalDriver.Listener.NONE);
            assertThat(r.status().state()).isEqualTo(RunStatus.State.FAILED);
            assertThat(r.status().reason())
                    .contains("the reduce failed on delivery 2 of 2")
                    .contains("partials unreachable")
                    .contains("reduce dead-letter queue");
            p.driver().settle(Duration.ofMinutes(1));
            assertThat(p.driver().reduceDeadLetters()).isEqualTo(1);
            assertThat(p.driver().deadLetters()).as("every range succeeded").isZero();
            assertThat(failures.get()).as("one failed fetch per delivery").isGreaterThanOrEqualTo(2);
            assertThat(p.wiring().store().head(RunKeys.reports(r.runId()) + ReportWriter.DISCREPANCIES))
                    .isEmpty();

            broken.set(false);
            Instant redriven = Instant.now();
            assertThat(p.driver().redriveReduceDeadLetters()).isEqualTo(1);
            RunStatus done = p.driver().drain(r.runId(), r.ranges(), LocalDriver.Listener.NONE, redriven);
            assertThat(done.state()).as(done.reason()).isEqualTo(RunStatus.State.SUCCEEDED);
            assertThat(latest(p)).isEqualTo(expected);
        }
    }

    @Test
    void sameUploadEventTwice_startsOneRun() throws Exception {
        try (LocalPipeline p = LocalPipeline.on(
                aws,
                "tally-data",
                settings(Tier.FANOUT, TINY_RANGE * 8, false),
                line -> {},
                UnaryOperator.identity())) {
            p.put(Tracker.PURCHASE, purchase);
            Path named = Files.copy(inventory, tmp.resolve("Pullus Inventory Tracker.csv"));
            p.put(Tracker.INVENTORY, named);
            byte[] event = Files.readAllBytes(events().resolve("s3-notification.json"));
            String first = p.driver().invokeUpload(event);
            String second = p.driver().invokeUpload(event);
            assertThat(first).contains("\"STARTED\"");
            assertThat(second).contains("\"EXISTS\"");
            String runId = Json.read(first, LocalPipeline.UploadAnswer.class)
                    .results()[0]
                    .runId();
            int ranges = Json.read(
                            p.wiring().store().get(RunKeys.manifest(runId)).orElseThrow(), Manifest.class)
                    .rangeCount();
            assertThat(queued(p)).isEqualTo(ranges);
            assertThat(p.driver()
                            .drain(runId, ranges, LocalDriver.Listener.NONE)
                            .state())
                    .isEqualTo(RunStatus.State.SUCCEEDED);
            // A re-upload of identical content gives the same ETag, so the same run: nothing new starts.
            p.put(Tracker.INVENTORY, named);
            assertThat(p.driver().invokeUpload(event)).contains("\"EXISTS\"");
            assertThat(queued(p)).isZero();
        }
    }

    @Test
    void eventBridgeObjectCreated_startsARun() throws Exception {
        try (LocalPipeline p = LocalPipeline.on(
                aws, "tally-data-eb", settings(Tier.INLINE, TINY_RANGE, false), line -> {}, UnaryOperator.identity())) {
            byte[] event = Files.readString(events().resolve("eventbridge-object-created.json"))
                    .replace("\"tally-data\"", "\"tally-data-eb\"")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(p.driver().invokeUpload(event)).contains("\"WAITING\"");
            p.put(Tracker.INVENTORY, inventory);
            p.put(Tracker.PURCHASE, purchase);
            assertThat(p.driver().invokeUpload(event)).contains("\"SUCCEEDED\"");
            assertThat(latest(p)).isEqualTo(expected);
        }
    }

    @Test
    void trackerReplacedMidRun_failsTheRunWithAClearReason() throws Exception {
        try (LocalPipeline p = pipeline(settings(Tier.FANOUT, TINY_RANGE * 8, false), UnaryOperator.identity())) {
            p.put(Tracker.PURCHASE, purchase);
            String etag = p.put(Tracker.INVENTORY, inventory);
            String answer = p.driver()
                    .upload(RunKeys.incoming(Tracker.INVENTORY) + inventory.getFileName(), Files.size(inventory), etag);
            Planner.Planned planned =
                    Json.read(answer, LocalPipeline.UploadAnswer.class).results()[0];
            assertThat(planned.outcome()).isEqualTo(Planner.Outcome.STARTED);
            Path changed = tmp.resolve("changed").resolve(purchase.getFileName());
            Files.createDirectories(changed.getParent());
            Files.writeString(changed, Files.readString(purchase).replace("INV-1", "INV-9"));
            p.put(Tracker.PURCHASE, changed);
            RunStatus s = p.driver().drain(planned.runId(), 1, LocalDriver.Listener.NONE);
            assertThat(s.state()).isEqualTo(RunStatus.State.FAILED);
            assertThat(s.reason())
                    .contains("incoming/purchase/purchase.csv was replaced or deleted while the run")
                    .contains("upload the trackers again");
        }
    }

    private void awaitDeadLetters(LocalPipeline p, int n) {
        p.driver().settle(Duration.ofMinutes(1));
        assertThat(p.driver().deadLetters()).isEqualTo(n);
    }

    private int queued(LocalPipeline p) {
        return p.driver().queued();
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The real store, with {@code beforeRange} called before each planned range of the messy pair is read. */
    private UnaryOperator<ObjectStore> hooked(long rangeBytes, Consumer<String> beforeRange) {
        HookedStore.Labels labels = HookedStore.Labels.of(purchase, inventory, rangeBytes);
        return store -> new HookedStore(store, labels, beforeRange);
    }

    private LocalPipeline pipeline(LocalPipeline.Settings s, UnaryOperator<ObjectStore> hook) {
        return LocalPipeline.on(
                aws, bucket(), s, Boolean.getBoolean("it.verbose") ? System.err::println : line -> {}, hook);
    }

    private String bucket() {
        return "tally-test-" + buckets.incrementAndGet();
    }

    /** {@code d} with a 10 s visibility timeout, which no batch outlasts on a loaded machine. */
    private static LocalPipeline.Settings slowVisible(LocalPipeline.Settings d) {
        return new LocalPipeline.Settings(
                d.tier(),
                d.rangeBytes(),
                d.batchSize(),
                10,
                d.workers(),
                d.maxReceiveCount(),
                d.tolerances(),
                d.dateOrder(),
                d.deliverTwice(),
                d.timeout());
    }

    private static LocalPipeline.Settings settings(Tier tier, long range, boolean twice) {
        LocalPipeline.Settings d = LocalPipeline.Settings.defaults();
        return new LocalPipeline.Settings(
                Optional.of(tier), range, 10, 1, 2, 2, d.tolerances(), d.dateOrder(), twice, Duration.ofMinutes(3));
    }

    private Map<String, String> latest(LocalPipeline p) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "latest");
        p.copyLatest(dir);
        return reports(dir);
    }

    private Map<String, String> reportsOf(LocalPipeline p, String runId) {
        Map<String, String> out = new TreeMap<>();
        for (String f : ReportWriter.SAME_ON_EVERY_PATH) {
            out.put(
                    f,
                    new String(
                            p.wiring().store().get(RunKeys.reports(runId) + f).orElseThrow(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> reports(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String f : ReportWriter.SAME_ON_EVERY_PATH) {
            out.put(f, Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
        }
        return out;
    }

    static Path events() {
        return Path.of(System.getProperty("tally.events", "../events"));
    }
}
