package io.tally.cli.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.Wiring;
import io.tally.functions.run.Json;
import io.tally.functions.run.RangeMessage;
import io.tally.storage.run.RunStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
 * worker handler as an {@link SQSEvent}, and delete only the messages it did not report as failed; one more
 * poller does the same from the reduce queue for the reduce handler, one message at a time. Failed messages
 * come back after the visibility timeout; SQS moves them to the dead-letter queue after
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

        Listener NONE = (range, done, total) -> {};
    }

    private final Wiring wiring;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final EmbeddedAws.Queues reduceQueues;
    private final EmbeddedAws.Queues publishQueues;
    private final LocalFunctions functions;
    private final Options options;

    public LocalDriver(
            Wiring wiring,
            SqsClient sqs,
            EmbeddedAws.Queues ranges,
            EmbeddedAws.Queues reduces,
            EmbeddedAws.Queues publishes,
            LocalFunctions functions,
            Options options) {
        this.publishQueues = publishes;
        this.wiring = wiring;
        this.sqs = sqs;
        this.queueUrl = ranges.url();
        this.deadLetterUrl = ranges.deadLetterUrl();
        this.reduceQueues = reduces;
        this.functions = functions;
        this.options = options;
    }

    /** Sends the S3 notification AWS would send for {@code key} to the upload handler; returns its answer. */
    public String upload(String key, long size, String etag) {
        // S3 notifications carry the key URL-encoded (a space as '+'), slashes left as they are.
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
        Map<String, Object> object =
                Map.of("key", encoded, "size", size, "eTag", etag, "sequencer", Long.toHexString(System.nanoTime()));
        Map<String, Object> record = Map.of(
                "eventVersion",
                "2.1",
                "eventSource",
                "aws:s3",
                "awsRegion",
                "eu-west-1",
                "eventTime",
                Instant.now().toString(),
                "eventName",
                "ObjectCreated:Put",
                "s3",
                Map.of(
                        "s3SchemaVersion",
                        "1.0",
                        "configurationId",
                        "tally-incoming",
                        "bucket",
                        Map.of(
                                "name",
                                wiring.config().bucket(),
                                "arn",
                                "arn:aws:s3:::" + wiring.config().bucket()),
                        "object",
                        object));
        return invokeUpload(Json.bytes(Map.of("Records", List.of(record))));
    }

    /** Hands a raw event (either S3 shape) to the upload handler. */
    public String invokeUpload(byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            functions.upload().handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The run's status, if it has one. */
    public Optional<RunStatus> status(String runId) {
        return wiring.ledger("local").status(runId);
    }

    /**
     * Polls the range queue with {@code workers} concurrent pollers until the run succeeds or fails.
     *
     * @throws IllegalStateException if it does neither within the timeout
     */
    public RunStatus drain(String runId, int totalRanges, Listener listener) {
        return drain(runId, totalRanges, listener, Instant.MIN);
    }

    /**
     * As {@link #drain(String, int, Listener)}, but only a final status written after {@code after} counts:
     * after a dead-letter redrive the old FAILED status stands until the run finishes again.
     */
    public RunStatus drain(String runId, int totalRanges, Listener listener, Instant after) {
        AtomicBoolean stop = new AtomicBoolean();
        Set<String> done = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(options.workers() + 2, r -> {
            Thread t = new Thread(r, "tally-local-worker");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            List<Future<?>> pollers = new ArrayList<>();
            for (int w = 0; w < options.workers(); w++) {
                pollers.add(pool.submit(() -> pollRanges(stop, done, totalRanges, listener)));
            }
            pollers.add(pool.submit(() -> pollReduces(stop)));
            pollers.add(pool.submit(() -> pollPublishes(stop)));
            while (true) {
                Optional<RunStatus> s = status(runId)
                        .filter(st -> st.state() != RunStatus.State.RUNNING
                                && Instant.parse(st.updatedAt()).isAfter(after));
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
        } catch (ExecutionException e) {
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
        ExecutorService pool = Executors.newFixedThreadPool(options.workers() + 2);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int w = 0; w < options.workers(); w++) {
                pool.submit(() -> pollRanges(stop, ConcurrentHashMap.newKeySet(), 0, Listener.NONE));
            }
            pool.submit(() -> pollReduces(stop));
            pool.submit(() -> pollPublishes(stop));
            while (queued() + queued(reduceQueues.url()) + queued(publishQueues.url()) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the queues did not empty within " + timeout);
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
        return queued(queueUrl);
    }

    private int queued(String url) {
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNamesWithStrings(
                                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }

    /** Lets each poller finish the batch in hand (so its messages are deleted, as Lambda would) and stop. */
    private void stopGracefully(AtomicBoolean stop, ExecutorService pool) {
        stop.set(true);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(options.visibilitySeconds() + 30L, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void pollRanges(AtomicBoolean stop, Set<String> done, int total, Listener listener) {
        poll(stop, queueUrl, options.batchSize(), functions.worker(), m -> {
            RangeMessage range = Json.read(m.body(), RangeMessage.class);
            if (done.add(range.label())) {
                listener.rangeDone(range, done.size(), total);
            }
        });
    }

    /** The Sheets publish function's event source mapping, when Sheets are configured: one message a time. */
    private void pollPublishes(AtomicBoolean stop) {
        functions.sheetsPublish().ifPresent(h -> poll(stop, publishQueues.url(), 1, h, m -> {}));
    }

    /** Messages waiting in the publish queue's dead-letter queue. */
    public int publishDeadLetters() {
        return waiting(publishQueues.deadLetterUrl());
    }

    /** Waits until the publish queue is empty (its messages handled, or in its dead-letter queue). */
    public void settlePublishes(Duration timeout) {
        settle(timeout);
    }

    /** The reduce function's event source mapping: one message per invocation. */
    private void pollReduces(AtomicBoolean stop) {
        poll(stop, reduceQueues.url(), 1, functions.reduce(), m -> {});
    }

    /**
     * Receives batches from {@code url} until stopped, hands each to {@code handler}, and deletes the messages
     * it did not report as failed (those come back after the visibility timeout, as in Lambda).
     */
    private void poll(
            AtomicBoolean stop,
            String url,
            int batchSize,
            RequestHandler<SQSEvent, SQSBatchResponse> handler,
            Consumer<Message> succeeded) {
        while (!stop.get()) {
            List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder()
                            .queueUrl(url)
                            .maxNumberOfMessages(batchSize)
                            .waitTimeSeconds(1)
                            .visibilityTimeout(options.visibilitySeconds())
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                            .build())
                    .messages();
            if (messages.isEmpty()) {
                continue;
            }
            SQSEvent event = event(messages);
            SQSBatchResponse response = handler.handleRequest(event, null);
            if (options.deliverTwice()) {
                response = handler.handleRequest(event, null);
            }
            Set<String> failed = new HashSet<>();
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
            for (Message m : messages) {
                if (!failed.contains(m.messageId())) {
                    delete.add(DeleteMessageBatchRequestEntry.builder()
                            .id(m.messageId())
                            .receiptHandle(m.receiptHandle())
                            .build());
                    succeeded.accept(m);
                }
            }
            if (!delete.isEmpty()) {
                sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(delete));
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

    /** Messages waiting in the range queue's dead-letter queue. */
    public int deadLetters() {
        return waiting(deadLetterUrl);
    }

    /** Messages waiting in the reduce queue's dead-letter queue. */
    public int reduceDeadLetters() {
        return waiting(reduceQueues.deadLetterUrl());
    }

    private int waiting(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                        .queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                        .build())
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Sends the range dead-letter queue's messages back to the range queue, as a DLQ redrive does. */
    public int redriveDeadLetters() {
        return redrive(deadLetterUrl, queueUrl);
    }

    /** Sends the reduce dead-letter queue's messages back to the reduce queue. */
    public int redriveReduceDeadLetters() {
        return redrive(reduceQueues.deadLetterUrl(), reduceQueues.url());
    }

    private int redrive(String from, String to) {
        int moved = 0;
        while (true) {
            List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder()
                            .queueUrl(from)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .build())
                    .messages();
            if (messages.isEmpty()) {
                return moved;
            }
            for (Message m : messages) {
                sqs.sendMessage(b -> b.queueUrl(to).messageBody(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(from).receiptHandle(m.receiptHandle()));
                moved++;
            }
        }
    }
}
