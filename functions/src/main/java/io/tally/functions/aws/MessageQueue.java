package io.tally.functions.aws;

import java.util.List;
import java.util.OptionalInt;

/** Sends message bodies to one queue. {@link SqsMessageQueue} is the real one. */
public interface MessageQueue {

    /**
     * Sends every body, or throws: a body is never dropped silently.
     */
    void send(List<String> bodies);

    /**
     * How many receives the queue allows before it moves a message to its dead-letter queue, read from the
     * queue's own redrive policy, so the functions' idea of a message's last delivery can never differ from
     * the queue's; empty when the queue has no dead-letter queue.
     */
    OptionalInt maxReceiveCount();

    /** The delivery after which the queue gives a message to its dead-letter queue; unbounded without one. */
    default int lastDelivery() {
        return maxReceiveCount().orElse(Integer.MAX_VALUE);
    }
}
