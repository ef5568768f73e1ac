package io.tally.functions.run;

/** The body of the one reduce-queue message of a run: every partial is there, merge them and publish. */
public record ReduceMessage(String runId) {}
