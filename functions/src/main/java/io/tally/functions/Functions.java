package io.tally.functions;

/**
 * Each function's name as its log lines and metrics carry it ({@code function}); the run ledger of each is built
 * with it in {@link Wiring}.
 */
public final class Functions {
    public static final String PLANNER = "planner";
    public static final String WORKER = "worker";
    public static final String REDUCER = "reducer";
    public static final String GLUE_STATE = "glue-state";
    public static final String WATCHDOG = "watchdog";
    public static final String SHEETS_EXPORT = "sheets-export";
    public static final String SHEETS_PUBLISH = "sheets-publish";

    private Functions() {}
}
