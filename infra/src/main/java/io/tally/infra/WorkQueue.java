package io.tally.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A work queue and its dead-letter queue: both encrypted and TLS only. The work queue's visibility timeout is
 * six times its consumer's timeout, as Lambda's SQS event source advises, so a message in flight is never
 * handed to a second consumer while the first may still be working on it.
 */
final class WorkQueue extends Construct {
    /**
     * How many deliveries a message gets before it moves to the dead-letter queue. This constant is the single
     * source of the number: the functions read it at run time from the queue's own RedrivePolicy
     * ({@code SqsMessageQueue.maxReceiveCount}) to know a message's last delivery, on which they fail the run.
     */
    static final int MAX_RECEIVE_COUNT = 5;

    /** Lambda's advice for SQS event sources: visibility timeout at least six times the function's timeout. */
    static final int VISIBILITY_PER_TIMEOUT = 6;

    /** @param consumerTimeout the timeout of the function that consumes the queue */
    record Props(Duration consumerTimeout) {}

    private final Queue queue;
    private final Queue deadLetters;

    WorkQueue(Construct scope, String id, Props props) {
        super(scope, id);
        deadLetters = Queue.Builder.create(this, "Dlq")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14)) // the longest SQS keeps a message: time to fix and redrive
                .build();
        queue = Queue.Builder.create(this, "Queue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(
                        Duration.seconds(props.consumerTimeout().toSeconds().longValue() * VISIBILITY_PER_TIMEOUT))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters)
                        .maxReceiveCount(MAX_RECEIVE_COUNT)
                        .build())
                .build();
    }

    Queue queue() {
        return queue;
    }

    Queue deadLetters() {
        return deadLetters;
    }
}
