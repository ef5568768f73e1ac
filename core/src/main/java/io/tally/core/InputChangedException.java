package io.tally.core;

/** A tracker changed while Tally read it: the run's totals would mix two versions, so it stops. */
public final class InputChangedException extends RuntimeException {
    public InputChangedException(String message) {
        super(message);
    }
}
