package io.tally.functions.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** A {@link MessageQueue} on SQS: batches of 10, retrying the entries SQS did not take. */
public final class SqsMessageQueue implements MessageQueue {
    private static final int BATCH = 10;
    private static final int ATTEMPTS = 5;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsMessageQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += BATCH) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (int k = i; k < Math.min(bodies.size(), i + BATCH); k++) {
                batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(k)).messageBody(bodies.get(k)).build());
            }
            for (int attempt = 1; !batch.isEmpty(); attempt++) {
                SendMessageBatchResponse r = sqs.sendMessageBatch(SendMessageBatchRequest.builder().queueUrl(queueUrl)
                        .entries(batch).build());
                List<String> failed = r.failed().stream().map(BatchResultErrorEntry::id).toList();
                if (!failed.isEmpty() && attempt == ATTEMPTS) {
                    throw new IllegalStateException("SQS refused " + failed.size() + " message(s) "
                            + ATTEMPTS + " times: " + r.failed().get(0).message());
                }
                batch = batch.stream().filter(e -> failed.contains(e.id())).toList();
            }
        }
    }
}
