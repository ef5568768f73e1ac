package io.tally.functions.run;

import io.tally.functions.aws.MessageQueue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;

/** A queue in memory: what was sent, in order, for the tests to hand to the consuming function. */
final class MemoryQueue implements MessageQueue {
    private final Deque<String> bodies = new ArrayDeque<>();
    private final OptionalInt maxReceiveCount;
    private int sent;

    /** @param maxReceiveCount the redrive policy's count, or 0 for a queue without a dead-letter queue */
    MemoryQueue(int maxReceiveCount) {
        this.maxReceiveCount = maxReceiveCount > 0 ? OptionalInt.of(maxReceiveCount) : OptionalInt.empty();
    }

    @Override
    public OptionalInt maxReceiveCount() {
        return maxReceiveCount;
    }

    @Override
    public synchronized void send(List<String> batch) {
        bodies.addAll(batch);
        sent += batch.size();
    }

    synchronized String poll() {
        return bodies.poll();
    }

    synchronized int waiting() {
        return bodies.size();
    }

    /** Every message ever sent. */
    synchronized int sent() {
        return sent;
    }
}
