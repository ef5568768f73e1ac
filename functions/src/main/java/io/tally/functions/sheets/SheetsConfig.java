package io.tally.functions.sheets;

import io.tally.names.Env;
import io.tally.sheets.SheetsClient;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The Google Sheets side of the functions, from the environment: where the trackers and the report
 * spreadsheet are, where the service-account key is kept, and how hard to press the API.
 *
 * @param purchase   {@code SPREADSHEET_ID[:SHEET]}, or empty when the trackers come as uploads only
 * @param inventory  the same for the inventory tracker
 * @param report     the report spreadsheet, or empty when nothing is written back
 * @param secret     the Secrets Manager secret holding the service-account key
 * @param endpoint   the Sheets API root
 */
public record SheetsConfig(
        Optional<String> purchase,
        Optional<String> inventory,
        Optional<String> report,
        String secret,
        URI endpoint,
        int chunkRows,
        int readsPerMinute,
        int writesPerMinute,
        int attempts) {

    public SheetsConfig {
        if (chunkRows < 1 || readsPerMinute < 1 || writesPerMinute < 1 || attempts < 1) {
            throw new IllegalArgumentException(Env.SHEETS_CHUNK_ROWS + ", " + Env.SHEETS_READS_PER_MINUTE + ", "
                    + Env.SHEETS_WRITES_PER_MINUTE + " and " + Env.SHEETS_ATTEMPTS + " must be at least 1");
        }
        if (purchase.isPresent() != inventory.isPresent()) {
            throw new IllegalArgumentException(
                    "set both " + Env.SHEETS_PURCHASE + " and " + Env.SHEETS_INVENTORY + ", or neither");
        }
    }

    /** Empty when the environment names no spreadsheet at all. */
    public static Optional<SheetsConfig> fromEnv(Map<String, String> env) {
        Optional<String> purchase = value(env, Env.SHEETS_PURCHASE);
        Optional<String> inventory = value(env, Env.SHEETS_INVENTORY);
        Optional<String> report = value(env, Env.SHEETS_REPORT);
        if (purchase.isEmpty() && inventory.isEmpty() && report.isEmpty()) {
            return Optional.empty();
        }
        String secret = value(env, Env.SHEETS_SECRET)
                .orElseThrow(() -> new IllegalArgumentException(
                        Env.SHEETS_SECRET + " is not set: the functions read the Google service-account key from it"));
        return Optional.of(new SheetsConfig(
                purchase,
                inventory,
                report,
                secret,
                URI.create(value(env, Env.SHEETS_ENDPOINT).orElse(SheetsClient.GOOGLE.toString())),
                number(env, Env.SHEETS_CHUNK_ROWS, 20_000),
                number(env, Env.SHEETS_READS_PER_MINUTE, 60),
                number(env, Env.SHEETS_WRITES_PER_MINUTE, 60),
                number(env, Env.SHEETS_ATTEMPTS, 7)));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        try {
            return value(env, name).map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + env.get(name) + "'", e);
        }
    }
}
