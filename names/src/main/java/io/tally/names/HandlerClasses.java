package io.tally.names;

import java.util.List;

/**
 * The Lambda handler classes, by name, for the CDK stack (which must not load the functions' classes) and
 * for the checks that the deployable jar loads each of them.
 */
public final class HandlerClasses {
    private static final String PACKAGE = "io.tally.functions.handlers.";

    /** S3 Object Created: finds the newest trackers and plans the run. */
    public static final String PLANNER = PACKAGE + "PlannerHandler";
    /** SQS range queue: reads one byte range into a partial. */
    public static final String WORKER = PACKAGE + "WorkerHandler";
    /** SQS reduce queue: merges a run's partials and publishes its reports. */
    public static final String REDUCER = PACKAGE + "ReducerHandler";
    /** Schedule: fails stalled runs and reports trackers that stopped arriving. */
    public static final String WATCHDOG = PACKAGE + "WatchdogHandler";
    /** Schedule: exports both trackers from Google Sheets into incoming/, which starts a run. */
    public static final String SHEETS_EXPORT = PACKAGE + "SheetsExportHandler";
    /** SQS publish queue: writes a successful run's reports back into the report spreadsheet. */
    public static final String SHEETS_PUBLISH = PACKAGE + "SheetsPublishHandler";

    /** EventBridge "Glue Job State Change": finishes a run the Glue job reduced. */
    public static final String GLUE_STATE = PACKAGE + "GlueStateHandler";

    public static final List<String> ALL =
            List.of(PLANNER, WORKER, REDUCER, WATCHDOG, SHEETS_EXPORT, SHEETS_PUBLISH, GLUE_STATE);

    private HandlerClasses() {}
}
