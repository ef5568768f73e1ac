package io.tally.storage.run;

import java.util.Locale;

/** How a run is executed, chosen by total input size. */
public enum Tier {
    /** Reconciled inside the planner's invocation on its threads. */
    INLINE,
    /** Split into byte ranges, one SQS message per range, reduced by the last worker. */
    FANOUT,
    /** A Spark job on Glue: the job reads the plan's ranges on its executors and writes the reports. */
    GLUE;

    public static Tier parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tier must be inline, fanout or glue, not '" + text + "'", e);
        }
    }
}
