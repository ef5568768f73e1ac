package io.tally.core;

/** A tracker changed while Tally read it: the run's totals would mix two versions, so it stops. */
public final class InputChangedException extends InputFault {
    public InputChangedException(String file, String message) {
        super(file, 0, message);
    }
}
