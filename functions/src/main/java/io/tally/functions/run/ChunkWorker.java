package io.tally.functions.run;

import io.tally.names.MetricNames;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.Tier;
import io.tally.storage.run.RunKeys;

import io.tally.core.Partial;
import io.tally.core.PartialCodec;
import io.tally.core.RangePlan;
import io.tally.core.RangeReader;
import io.tally.functions.aws.MessageQueue;
import io.tally.storage.ObjectChangedException;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ByteSource;
import io.tally.functions.obs.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads one range into a partial and stores it at {@code runs/{runId}/partials/{tracker}-{n}}; a
 * redelivered message overwrites the same object, so a retry never double counts. The worker that stores a
 * run's last partial requests its reduce. A range that keeps failing marks the run failed on its last allowed delivery, just before
 * SQS moves it to the dead-letter queue.
 */
public final class ChunkWorker {
    static final String FUNCTION = "worker";

    private final MessageQueue rangeQueue;
    private final ObjectStore store;
    private final Reducer reducer;
    private final Publisher publisher;
    private final Telemetry telemetry;
    /** The last few manifests read, so a warm container does not fetch one per message. */
    private final Map<String, Manifest> manifests = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Manifest> eldest) {
            return size() > 8;
        }
    };

    /** @param rangeQueue the queue this worker is fed from: its redrive policy says which delivery is the last */
    public ChunkWorker(ObjectStore store, MessageQueue rangeQueue, Reducer reducer, Telemetry telemetry) {
        this.rangeQueue = rangeQueue;
        this.store = store;
        this.reducer = reducer;
        this.publisher = new Publisher(store, telemetry);
        this.telemetry = telemetry;
    }

    /**
     * Processes one message body. Throws if the range should be retried.
     *
     * @param receiveCount how many times SQS has delivered this message, this time included
     */
    public void process(String body, int receiveCount) {
        RangeMessage m = Json.read(body.getBytes(StandardCharsets.UTF_8), RangeMessage.class);
        Manifest manifest = null;
        long started = System.nanoTime();
        try {
            manifest = manifest(m.runId());
            RangePlan.Range range = m.range();
            Manifest.Source in = manifest.source(range.tracker());
            RangeReader reader = new RangeReader(new S3ByteSource(store, in.key(), in.etag(), in.size()),
                    manifest.plan().layout(range.tracker()), manifest.order());
            Partial partial = reader.read(range.start(), range.end(), manifest.plan().startsAtData(range));
            store.put(RunKeys.partial(m.runId(), range), PartialCodec.toBytes(partial), "application/octet-stream");
            publisher.touch(m.runId());
        } catch (ObjectChangedException e) {
            // Retrying cannot help: the run is over. Fail it now, loudly, and let the message go.
            publisher.failInput(m.runId(), manifest.tier(), e.getMessage(), FUNCTION);
            return;
        } catch (RuntimeException e) {
            failed(m, manifest, receiveCount, e);
            throw e;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        telemetry.metrics(FUNCTION, manifest.tier(), m.runId()).bytes(MetricNames.BYTES_PROCESSED, m.range().bytes())
                .millis(MetricNames.RANGE_DURATION, millis).flush();
        telemetry.log(FUNCTION, "range.done", m.runId(), Map.of("range", m.label(), "bytes", m.range().bytes(),
                "ms", millis, "delivery", receiveCount));
        reducer.request(m.runId(), FUNCTION);
    }

    /**
     * Records why a range failed (best effort) and, on its last allowed delivery, fails the run, unless a
     * duplicate delivery of the same range already stored its partial.
     */
    private void failed(RangeMessage m, Manifest manifest, int receiveCount, RuntimeException e) {
        int last = lastDelivery(rangeQueue);
        String reason = "range " + m.label() + " (bytes " + m.range().start() + "-" + m.range().end() + ") failed on delivery "
                + receiveCount + (last == Integer.MAX_VALUE ? "" : " of " + last) + ": " + e;
        telemetry.log(FUNCTION, "range.failed", m.runId(), Map.of("range", m.label(), "delivery", receiveCount,
                "reason", e.toString()));
        try {
            store.put(RunKeys.error(m.runId(), m.range()), reason.getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8");
            if (receiveCount >= last
                    && store.head(RunKeys.partial(m.runId(), m.range())).isEmpty()) {
                publisher.fail(m.runId(), manifest == null ? Tier.FANOUT : manifest.tier(),
                        reason + "; the message is in the dead-letter queue", FUNCTION);
            }
        } catch (RuntimeException again) {
            e.addSuppressed(again);
        }
    }

    /** The delivery after which the queue gives a message to its dead-letter queue; unbounded without one. */
    static int lastDelivery(MessageQueue queue) {
        return queue.maxReceiveCount().orElse(Integer.MAX_VALUE);
    }

    private Manifest manifest(String runId) {
        synchronized (manifests) {
            Manifest cached = manifests.get(runId);
            if (cached != null) {
                return cached;
            }
        }
        Manifest read = Json.read(store.get(RunKeys.manifest(runId))
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has no manifest")), Manifest.class);
        synchronized (manifests) {
            manifests.put(runId, read);
        }
        return read;
    }
}
