package io.tally.functions.run;

import io.tally.core.Tracker;

/** The body of one SQS message: read range {@code n} of a tracker, {@code [start, end)}, for a run. */
public record RangeMessage(String runId, Tracker tracker, int n, long start, long end) {
    public String label() {
        return tracker.label() + "-" + n;
    }
}
