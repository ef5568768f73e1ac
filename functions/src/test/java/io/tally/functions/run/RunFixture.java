package io.tally.functions.run;

import io.tally.core.Tracker;
import io.tally.core.sample.SampleGenerator;
import io.tally.functions.FunctionsConfig;
import io.tally.functions.Wiring;
import io.tally.functions.obs.Telemetry;
import io.tally.names.Env;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The run logic on in-memory adapters, with the messages delivered by hand as Lambda would deliver them. */
final class RunFixture {
    final MemoryObjectStore store = new MemoryObjectStore();
    final MemoryQueue ranges = new MemoryQueue(3);
    final MemoryQueue reduces = new MemoryQueue(3);
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Wiring wiring;

    /** @param settings extra environment, e.g. {@code TALLY_INLINE_MAX_BYTES=0} to fan out */
    RunFixture(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of(
                Env.BUCKET,
                "memory",
                Env.RANGE_QUEUE_URL,
                "ranges",
                Env.REDUCE_QUEUE_URL,
                "reduces",
                Env.THREADS,
                "2"));
        env.putAll(settings);
        wiring = new Wiring(FunctionsConfig.fromEnv(env), store, ranges, reduces, Telemetry.to(lines::add));
    }

    static RunFixture fanOut(long rangeBytes) {
        return new RunFixture(Map.of(Env.INLINE_MAX_BYTES, "0", Env.RANGE_BYTES, Long.toString(rangeBytes)));
    }

    static RunFixture inline() {
        return new RunFixture(Map.of());
    }

    /** Uploads a tracker file and sends its upload to the planner. */
    Planner.Planned upload(Tracker tracker, Path file) {
        String key = RunKeys.incoming(tracker) + file.getFileName();
        store.put(key, file, "text/csv");
        return wiring.planner().onUpload(key);
    }

    Planner.Planned upload(Tracker tracker, String name, String text) {
        String key = RunKeys.incoming(tracker) + name;
        store.put(key, text.getBytes(StandardCharsets.UTF_8), "text/csv");
        return wiring.planner().onUpload(key);
    }

    /** Delivers every waiting range message once, on first delivery. */
    void workAllRanges() {
        for (String body = ranges.poll(); body != null; body = ranges.poll()) {
            wiring.worker().process(Json.read(body, RangeMessage.class), 1);
        }
    }

    /**
     * Delivers every waiting reduce message once, on first delivery, and works the second round (invoices.csv) a
     * reduce sends, whose last worker requests the reduce again.
     */
    void reduceAll() {
        for (String body = reduces.poll(); body != null; body = reduces.poll()) {
            wiring.reducer().reduce(Json.read(body, ReduceMessage.class).runId(), 1);
            workAllRanges();
        }
    }

    /**
     * Delivers the waiting reduce message, which finds keys that are not OK and sends the second round, and works
     * that round: the run's reduce message waits again, and the next reduce publishes.
     */
    void secondRound() {
        String body = reduces.poll();
        Reducer.Outcome o =
                wiring.reducer().reduce(Json.read(body, ReduceMessage.class).runId(), 1);
        if (o != Reducer.Outcome.INVOICES_REQUESTED) {
            throw new IllegalStateException("the first reduce did not send the second round: " + o);
        }
        workAllRanges();
    }

    RunStatus status(String runId) {
        return Json.read(store.get(RunKeys.status(runId)).orElseThrow(), RunStatus.class);
    }

    Manifest manifest(String runId) {
        return Json.read(store.get(RunKeys.manifest(runId)).orElseThrow(), Manifest.class);
    }

    String text(String key) {
        return new String(store.get(key).orElseThrow(), StandardCharsets.UTF_8);
    }

    static SampleGenerator.Written sample(Path dir, long rows, long seed) {
        try {
            Files.createDirectories(dir);
            return new SampleGenerator(new SampleGenerator.Options(rows, seed, true)).write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
