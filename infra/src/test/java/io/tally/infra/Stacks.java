package io.tally.infra;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The stacks the tests look at, each built once per test JVM exactly as {@link TallyApp} builds it (cdk-nag
 * included), against the real jars the functions and glue modules built.
 */
final class Stacks {
    /** Context that differs from every default, so a test can tell a value came from context. */
    static final Map<String, Object> CONTEXT = Map.ofEntries(
            Map.entry("runsExpireDays", 17),
            Map.entry("maxConcurrency", 7),
            Map.entry("exportCron", "cron(30 5 * * ? *)"),
            Map.entry("exportTimezone", "Africa/Lagos"),
            Map.entry("watchdogRateMinutes", 10),
            Map.entry("glueWorkerType", "G.2X"),
            Map.entry("glueWorkers", 25),
            Map.entry("glueTimeoutMinutes", 90),
            Map.entry("sheetsSecret", "tally/test-key"),
            Map.entry("sheetsPurchase", "PURCHASE_ID:Sheet1"),
            Map.entry("sheetsInventory", "INVENTORY_ID"),
            Map.entry("sheetsReport", "REPORT_ID"),
            Map.entry("alarmEmail", "ops@example.com"),
            Map.entry("stallMinutes", 45),
            Map.entry("maxUploadHours", 30),
            Map.entry("chickenLossKgAlarm", 250.5),
            Map.entry("discrepancyKeysAlarm", 40),
            Map.entry("rangeAgeAlarmSeconds", 600),
            Map.entry("tuning", Map.of("TALLY_TOLERANCE_KG", "1.25", "TALLY_DATE_ORDER", "month-first")));

    private static Built full;
    private static Built uploadsOnly;

    /** A stack and its synthesized template. */
    record Built(TallyStack stack, Template template) {
        /** The logical id CloudFormation knows {@code construct}'s resource by. */
        String id(IConstruct construct) {
            IConstruct resource = construct instanceof CfnElement
                    ? construct
                    : construct.getNode().getDefaultChild();
            return stack.getLogicalId((CfnElement) resource);
        }
    }

    private Stacks() {}

    /** Every part deployed, Google Sheets included, with {@link #CONTEXT}. */
    static synchronized Built full() {
        if (full == null) {
            full = build(CONTEXT);
        }
        return full;
    }

    /** The defaults of cdk.json: no spreadsheet named, so no Sheets functions. */
    static synchronized Built uploadsOnly() {
        if (uploadsOnly == null) {
            uploadsOnly = build(Map.of());
        }
        return uploadsOnly;
    }

    static Built build(Map<String, Object> context) {
        App app = App.Builder.create().context(new HashMap<>(context)).build();
        TallyStack stack = TallyApp.build(app);
        return new Built(stack, Template.fromStack(stack));
    }
}
