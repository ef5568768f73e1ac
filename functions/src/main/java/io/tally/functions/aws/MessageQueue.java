package io.tally.functions.aws;

import java.util.List;

/** Sends message bodies to one queue. {@link SqsMessageQueue} is the real one. */
public interface MessageQueue {

    /**
     * Sends every body, or throws: a body is never dropped silently.
     */
    void send(List<String> bodies);
}
