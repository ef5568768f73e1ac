package io.tally.storage.run;

/**
 * {@code reports/latest.json}: the run whose reports are in {@code reports/latest/}.
 *
 * @param runId    the run
 * @param dataTime its newest upload's time (ISO-8601): what orders runs
 * @param reports  where its own reports are ({@code reports/{runId}/})
 */
public record Latest(String runId, String dataTime, String reports) {}
