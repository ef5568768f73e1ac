package io.tally.functions.run;

import io.tally.core.RangePlan;

/** The body of one range-queue message: read this range of the run's plan. */
public record RangeMessage(String runId, RangePlan.Range range) {
    public String label() {
        return range.label();
    }
}
