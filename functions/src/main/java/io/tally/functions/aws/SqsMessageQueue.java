package io.tally.functions.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.functions.run.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** A {@link MessageQueue} on SQS: batches of 10, retrying the entries SQS did not take. */
public final class SqsMessageQueue implements MessageQueue {
    private static final int BATCH = 10;
    private static final int ATTEMPTS = 5;

    private final SqsClient sqs;
    private final String queueUrl;
    private volatile OptionalInt maxReceiveCount;

    public SqsMessageQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Read once per container from the queue's RedrivePolicy attribute. */
    @Override
    public OptionalInt maxReceiveCount() {
        OptionalInt known = maxReceiveCount;
        if (known == null) {
            String policy = sqs.getQueueAttributes(
                            b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .attributes()
                    .get(QueueAttributeName.REDRIVE_POLICY);
            known = redriveMaxReceiveCount(queueUrl, policy);
            maxReceiveCount = known;
        }
        return known;
    }

    /** {@code maxReceiveCount} of a RedrivePolicy document (SQS writes it as a number or as a string). */
    static OptionalInt redriveMaxReceiveCount(String queueUrl, String policy) {
        if (policy == null || policy.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(policy).path("maxReceiveCount");
            int v = n.isNumber() ? n.asInt() : Integer.parseInt(n.asText());
            return v > 0 ? OptionalInt.of(v) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException(
                    "the queue " + queueUrl + " has a RedrivePolicy Tally cannot read: " + policy, e);
        }
    }

    @Override
    public void send(List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += BATCH) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (int k = i; k < Math.min(bodies.size(), i + BATCH); k++) {
                batch.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(k))
                        .messageBody(bodies.get(k))
                        .build());
            }
            for (int attempt = 1; !batch.isEmpty(); attempt++) {
                SendMessageBatchResponse r = sqs.sendMessageBatch(SendMessageBatchRequest.builder()
                        .queueUrl(queueUrl)
                        .entries(batch)
                        .build());
                List<String> failed =
                        r.failed().stream().map(BatchResultErrorEntry::id).toList();
                if (!failed.isEmpty() && attempt == ATTEMPTS) {
                    throw new IllegalStateException("SQS refused " + failed.size() + " message(s) " + ATTEMPTS
                            + " times: " + r.failed().get(0).message());
                }
                batch = batch.stream().filter(e -> failed.contains(e.id())).toList();
            }
        }
    }
}
