package io.tally.functions.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.Wiring;
import io.tally.functions.handlers.Handlers;
import io.tally.functions.run.Json;
import io.tally.functions.run.RangeMessage;
import io.tally.functions.run.RunKeys;
import io.tally.functions.run.RunStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Drives the real handlers as Lambda would: an S3 event to the upload handler, then pollers that receive
 * batches from the range queue with the configured batch size and visibility timeout, hand them to the
 * worker handler as an {@link SQSEvent}, and delete only the messages it did not report as failed. Failed
 * messages come back after the visibility timeout; SQS moves them to the dead-letter queue after
 * {@code maxReceiveCount} receives.
 */
public final class LocalDriver {
    /**
     * @param batchSize         messages per worker invocation (1 to 10)
     * @param visibilitySeconds how long a received message stays hidden
     * @param workers           concurrent worker invocations
     * @param deliverTwice      hand every batch to the worker twice, as a duplicated SQS delivery would
     * @param timeout           give up waiting for the run after this long
     */
    public record Options(int batchSize, int visibilitySeconds, int workers, boolean deliverTwice, Duration timeout) {
        public Options {
            if (batchSize < 1 || batchSize > 10) {
                throw new IllegalArgumentException("batch size must be 1 to 10, not " + batchSize);
            }
            if (visibilitySeconds < 1 || workers < 1) {
                throw new IllegalArgumentException("visibility timeout and workers must be at least 1");
            }
        }
    }

    /** Progress of a run, range by range. */
    public interface Listener {
        void rangeDone(RangeMessage range, int done, int total);

        Listener NONE = (range, done, total) -> { };
    }

    private final Wiring wiring;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final Handlers handlers;
    private final Options options;

    public LocalDriver(Wiring wiring, SqsClient sqs, EmbeddedAws.Queues queues, Handlers handlers, Options options) {
        this.wiring = wiring;
        this.sqs = sqs;
        this.queueUrl = queues.url();
        this.deadLetterUrl = queues.deadLetterUrl();
        this.handlers = handlers;
        this.options = options;
    }

    /** Sends the S3 notification AWS would send for {@code key} to the upload handler; returns its answer. */
    public String upload(String key, long size, String etag) {
        // S3 notifications carry the key URL-encoded (a space as '+'), slashes left as they are.
        String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
        Map<String, Object> object = Map.of("key", encoded, "size", size, "eTag", etag,
                "sequencer", Long.toHexString(System.nanoTime()));
        Map<String, Object> record = Map.of("eventVersion", "2.1", "eventSource", "aws:s3", "awsRegion", "eu-west-1",
                "eventTime", java.time.Instant.now().toString(), "eventName", "ObjectCreated:Put",
                "s3", Map.of("s3SchemaVersion", "1.0", "configurationId", "tally-incoming",
                        "bucket", Map.of("name", wiring.config().bucket(), "arn", "arn:aws:s3:::" + wiring.config().bucket()),
                        "object", object));
        return invokeUpload(Json.bytes(Map.of("Records", List.of(record))));
    }

    /** Hands a raw event (either S3 shape) to the upload handler. */
    public String invokeUpload(byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handlers.upload().handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The run's status, if it has one. */
    public Optional<RunStatus> status(String runId) {
        return wiring.store().get(RunKeys.status(runId)).map(b -> Json.read(b, RunStatus.class));
    }

    /**
     * Polls the range queue with {@code workers} concurrent pollers until the run succeeds or fails.
     *
     * @throws IllegalStateException if it does neither within the timeout
     */
    public RunStatus drain(String runId, int totalRanges, Listener listener) {
        return drain(runId, totalRanges, listener, java.time.Instant.MIN);
    }

    /**
     * As {@link #drain(String, int, Listener)}, but only a final status written after {@code after} counts:
     * after a dead-letter redrive the old FAILED status stands until the run finishes again.
     */
    public RunStatus drain(String runId, int totalRanges, Listener listener, java.time.Instant after) {
        AtomicBoolean stop = new AtomicBoolean();
        Set<String> done = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "tally-local-worker");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            List<Future<?>> pollers = new ArrayList<>();
            for (int w = 0; w < options.workers(); w++) {
                pollers.add(pool.submit(() -> poll(stop, done, totalRanges, listener)));
            }
            while (true) {
                Optional<RunStatus> s = status(runId).filter(st -> st.state() != RunStatus.State.RUNNING
                        && java.time.Instant.parse(st.updatedAt()).isAfter(after));
                if (s.isPresent()) {
                    return s.get();
                }
                for (Future<?> f : pollers) {
                    if (f.isDone()) {
                        f.get(); // surfaces a poller's crash
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " did not finish within " + options.timeout());
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a local worker poller crashed: " + e.getCause(), e.getCause());
        } finally {
            stopGracefully(stop, pool);
        }
    }

    /**
     * Keeps the workers polling until the range queue is empty, as Lambda keeps consuming after a run has
     * failed: healthy ranges finish, a poisoned one ends in the dead-letter queue.
     */
    public void settle(Duration timeout) {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(options.workers());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int w = 0; w < options.workers(); w++) {
                pool.submit(() -> poll(stop, ConcurrentHashMap.newKeySet(), 0, Listener.NONE));
            }
            while (queued() > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the range queue did not empty within " + timeout);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopGracefully(stop, pool);
        }
    }

    /** Messages in the range queue, visible or in flight. */
    public int queued() {
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }

    /** Lets each poller finish the batch in hand (so its messages are deleted, as Lambda would) and stop. */
    private void stopGracefully(AtomicBoolean stop, ExecutorService pool) {
        stop.set(true);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(options.visibilitySeconds() + 30L, java.util.concurrent.TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void poll(AtomicBoolean stop, Set<String> done, int total, Listener listener) {
        while (!stop.get()) {
            List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl)
                    .maxNumberOfMessages(options.batchSize()).waitTimeSeconds(1)
                    .visibilityTimeout(options.visibilitySeconds())
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT).build()).messages();
            if (messages.isEmpty()) {
                continue;
            }
            SQSEvent event = event(messages);
            SQSBatchResponse response = handlers.worker().handleRequest(event, null);
            if (options.deliverTwice()) {
                response = handlers.worker().handleRequest(event, null);
            }
            Set<String> failed = new java.util.HashSet<>();
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
            for (Message m : messages) {
                if (!failed.contains(m.messageId())) {
                    delete.add(DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).build());
                    RangeMessage range = Json.read(m.body(), RangeMessage.class);
                    if (done.add(range.label())) {
                        listener.rangeDone(range, done.size(), total);
                    }
                }
            }
            if (!delete.isEmpty()) {
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(delete));
            }
        }
    }

    private static SQSEvent event(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setEventSource("aws:sqs");
            Map<String, String> attributes = new HashMap<>();
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            r.setAttributes(attributes);
            records.add(r);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }

    /** Messages waiting in the dead-letter queue. */
    public int deadLetters() {
        return Integer.parseInt(sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(deadLetterUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build()).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Sends the dead-letter queue's messages back to the range queue, as a DLQ redrive does. */
    public int redriveDeadLetters() {
        int moved = 0;
        while (true) {
            List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(deadLetterUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(1).build()).messages();
            if (messages.isEmpty()) {
                return moved;
            }
            for (Message m : messages) {
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(deadLetterUrl).receiptHandle(m.receiptHandle()));
                moved++;
            }
        }
    }
}
