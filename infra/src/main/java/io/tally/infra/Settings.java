package io.tally.infra;

import io.tally.names.Env;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * What one deployment of Tally is configured with, from CDK context ({@code cdk.json}, or {@code -c key=value}).
 * Every value has a default here, so a plain {@code cdk synth} works offline; docs/operations.md ("Context
 * values") lists them.
 *
 * @param stage                 which deployment this is ({@code dev}, {@code prod}, ...): the stack is
 *                              {@code Tally-<stage>}, and every physical name comes from that stack name
 * @param lambdaJar             the functions' jar, relative to the infra module
 * @param glueJar               the Glue job's jar
 * @param glueScript            the Scala entry script of the Glue job
 * @param runsExpireDays        objects under {@code runs/} expire after this many days
 * @param maxConcurrency        most concurrent invocations per SQS event source (2 to 1000)
 * @param exportCron            the Sheets export's schedule, a Scheduler cron expression
 * @param exportTimezone        the time zone the export's cron is read in
 * @param watchdogRateMinutes   how often the watchdog runs
 * @param glueWorkerType        G.1X, G.2X, ...
 * @param glueWorkers           number of Glue workers (one is the driver)
 * @param glueTimeoutMinutes    the Glue job's timeout
 * @param sheetsSecret          the Secrets Manager secret (name or ARN) with the Google service-account key
 * @param sheetsPurchase        the purchase tracker ({@code SPREADSHEET_ID[:SHEET]}); all three sheets empty:
 *                              trackers come as uploads only, and no Sheets function is deployed
 * @param sheetsInventory       the inventory tracker
 * @param sheetsReport          the report spreadsheet
 * @param alarmEmail            who is told when an alarm fires; empty for no subscription
 * @param stallMinutes          a run with no progress this long is failed by the watchdog
 * @param maxUploadHours        alarm when a tracker has not been uploaded for longer than this
 * @param chickenLossKgAlarm    alarm when a run's total chicken loss exceeds this many kg
 * @param discrepancyKeysAlarm  alarm when a run's DISCREPANCY keys exceed this count
 * @param rangeAgeAlarmSeconds  alarm when the range queue's oldest message is older than this
 * @param reducerTmpMb          the reducer's {@code /tmp} in MB (512 to 10,240), where rejected rows past 16 MiB
 *                              wait; over 512, the reducer runs without SnapStart
 * @param accessLogDays         the bucket's server access logs expire after this many days
 * @param glueLogDays           the Glue job's CloudWatch log groups keep this many days (a value CloudWatch Logs
 *                              accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)
 * @param tuning                the functions' own settings, by their {@code Env} names ({@link #TUNABLE}); unset
 *                              ones keep the functions' defaults
 */
public record Settings(
        String stage,
        String lambdaJar,
        String glueJar,
        String glueScript,
        int runsExpireDays,
        int maxConcurrency,
        String exportCron,
        String exportTimezone,
        int watchdogRateMinutes,
        String glueWorkerType,
        int glueWorkers,
        int glueTimeoutMinutes,
        String sheetsSecret,
        String sheetsPurchase,
        String sheetsInventory,
        String sheetsReport,
        String alarmEmail,
        int stallMinutes,
        int maxUploadHours,
        double chickenLossKgAlarm,
        int discrepancyKeysAlarm,
        int rangeAgeAlarmSeconds,
        int reducerTmpMb,
        int accessLogDays,
        int glueLogDays,
        Map<String, String> tuning) {

    /** A stage name: it goes into the stack name and so into every physical name (bucket names are lower case). */
    static final Pattern STAGE = Pattern.compile("[a-z][a-z0-9-]{0,19}");

    /** The function settings context may set through {@code tuning}; the functions check their values at start. */
    static final List<String> TUNABLE = List.of(
            Env.TOLERANCE_KG,
            Env.TOLERANCE_PCT,
            Env.DATE_ORDER,
            Env.RANGE_BYTES,
            Env.INLINE_MAX_BYTES,
            Env.GLUE_MIN_BYTES,
            Env.THREADS,
            Env.GLUE_START_ATTEMPTS,
            Env.SHEETS_CHUNK_ROWS,
            Env.SHEETS_READS_PER_MINUTE,
            Env.SHEETS_WRITES_PER_MINUTE,
            Env.SHEETS_ATTEMPTS);

    public Settings {
        if (!STAGE.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage must be a lower-case letter and up to 19 more lower-case "
                    + "letters, digits or hyphens (it names the stack Tally-<stage>), not '" + stage + "'");
        }
        if (accessLogDays < 1 || glueLogDays < 1) {
            throw new IllegalArgumentException("accessLogDays and glueLogDays must be positive");
        }
        if (maxConcurrency < 2 || maxConcurrency > 1000) {
            throw new IllegalArgumentException(
                    "maxConcurrency must be 2 to 1000 (Lambda's limits for SQS), not " + maxConcurrency);
        }
        if (runsExpireDays < 1 || watchdogRateMinutes < 1 || glueWorkers < 2 || glueTimeoutMinutes < 1) {
            throw new IllegalArgumentException("runsExpireDays, watchdogRateMinutes and glueTimeoutMinutes must be "
                    + "positive, glueWorkers at least 2");
        }
        if (sheetsPurchase.isBlank() != sheetsInventory.isBlank()
                || sheetsPurchase.isBlank() != sheetsReport.isBlank()) {
            throw new IllegalArgumentException("set all of sheetsPurchase, sheetsInventory and sheetsReport, or none");
        }
        if (reducerTmpMb < 512 || reducerTmpMb > 10_240) {
            throw new IllegalArgumentException(
                    "reducerTmpMb must be 512 to 10240 (Lambda's limits), not " + reducerTmpMb);
        }
        for (String name : tuning.keySet()) {
            if (!TUNABLE.contains(name)) {
                throw new IllegalArgumentException("tuning may set " + TUNABLE + ", not " + name);
            }
        }
        tuning = Map.copyOf(tuning);
    }

    /** The defaults, which {@code cdk.json} repeats. */
    public static Settings defaults() {
        return new Settings(
                "dev",
                "../functions/target/tally-lambda.jar",
                "../glue/target/tally-glue.jar",
                "../glue/src/main/scala/io/tally/glue/GlueApp.scala",
                30,
                50,
                "cron(0 6 * * ? *)",
                "Africa/Lagos",
                15,
                "G.1X",
                10,
                120,
                "tally/google-service-account",
                "",
                "",
                "",
                "",
                60,
                36,
                500.0,
                50,
                900,
                512,
                365,
                90,
                Map.of());
    }

    /** The defaults, overridden by whatever the context of {@code node} sets. */
    public static Settings fromContext(Node node) {
        Settings d = defaults();
        return new Settings(
                text(node, "stage", d.stage),
                text(node, "lambdaJar", d.lambdaJar),
                text(node, "glueJar", d.glueJar),
                text(node, "glueScript", d.glueScript),
                number(node, "runsExpireDays", d.runsExpireDays),
                number(node, "maxConcurrency", d.maxConcurrency),
                text(node, "exportCron", d.exportCron),
                text(node, "exportTimezone", d.exportTimezone),
                number(node, "watchdogRateMinutes", d.watchdogRateMinutes),
                text(node, "glueWorkerType", d.glueWorkerType),
                number(node, "glueWorkers", d.glueWorkers),
                number(node, "glueTimeoutMinutes", d.glueTimeoutMinutes),
                text(node, "sheetsSecret", d.sheetsSecret),
                text(node, "sheetsPurchase", d.sheetsPurchase),
                text(node, "sheetsInventory", d.sheetsInventory),
                text(node, "sheetsReport", d.sheetsReport),
                text(node, "alarmEmail", d.alarmEmail),
                number(node, "stallMinutes", d.stallMinutes),
                number(node, "maxUploadHours", d.maxUploadHours),
                Double.parseDouble(text(node, "chickenLossKgAlarm", String.valueOf(d.chickenLossKgAlarm))),
                number(node, "discrepancyKeysAlarm", d.discrepancyKeysAlarm),
                number(node, "rangeAgeAlarmSeconds", d.rangeAgeAlarmSeconds),
                number(node, "reducerTmpMb", d.reducerTmpMb),
                number(node, "accessLogDays", d.accessLogDays),
                number(node, "glueLogDays", d.glueLogDays),
                tuning(node));
    }

    /** {@code "tuning": {"TALLY_TOLERANCE_KG": "1.0"}} in cdk.json, or {@code -c tuning=NAME=VALUE,NAME=VALUE}. */
    private static Map<String, String> tuning(Node node) {
        Object value = node.tryGetContext("tuning");
        Map<String, String> tuning = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> tuning.put(String.valueOf(k), String.valueOf(v)));
        } else if (value != null && !value.toString().isBlank()) {
            for (String pair : value.toString().split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("context tuning takes NAME=VALUE pairs, not '" + pair + "'");
                }
                tuning.put(kv[0].trim(), kv[1].trim());
            }
        }
        return tuning;
    }

    /** The stack's name, from which CloudFormation derives every physical name: {@code Tally-<stage>}. */
    public String stackName() {
        return "Tally-" + stage;
    }

    /** Whether the Sheets export and publish are deployed: when the spreadsheets are named. */
    public boolean sheets() {
        return !sheetsPurchase.isBlank();
    }

    private static String text(Node node, String key, String fallback) {
        return Optional.ofNullable(node.tryGetContext(key))
                .map(Object::toString)
                .map(String::trim)
                .orElse(fallback);
    }

    private static int number(Node node, String key, int fallback) {
        String v = text(node, key, String.valueOf(fallback));
        try {
            return (int) Double.parseDouble(v); // context from cdk.json may come back as 30.0
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a number, not '" + v + "'", e);
        }
    }
}
