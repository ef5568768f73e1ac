package io.tally.functions.run;

import io.tally.core.Tracker;
import java.util.Locale;

/** Where everything lives in the bucket. */
public final class RunKeys {
    public static final String INCOMING = "incoming/";
    public static final String LATEST = "reports/latest/";
    /** Names the run whose reports are in {@link #LATEST}, and how fresh its data is. */
    public static final String LATEST_POINTER = "reports/latest.json";

    private RunKeys() {}

    public static String incoming(Tracker t) {
        return INCOMING + t.label() + "/";
    }

    public static String run(String runId) {
        return "runs/" + runId + "/";
    }

    public static String manifest(String runId) {
        return run(runId) + "manifest.json";
    }

    public static String status(String runId) {
        return run(runId) + "status.json";
    }

    public static String reduceLock(String runId) {
        return run(runId) + "_reduce";
    }

    public static String partials(String runId) {
        return run(runId) + "partials/";
    }

    public static String partial(String runId, Tracker t, int n) {
        return partials(runId) + t.label() + "-" + String.format(Locale.ROOT, "%05d", n);
    }

    public static String error(String runId, Tracker t, int n) {
        return run(runId) + "errors/" + t.label() + "-" + String.format(Locale.ROOT, "%05d", n) + ".txt";
    }

    public static String reports(String runId) {
        return "reports/" + runId + "/";
    }
}
