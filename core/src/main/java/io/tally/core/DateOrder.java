package io.tally.core;

import java.util.Locale;

/** How a {@code d/M/yyyy} date is read: day first (the default) or month first. */
public enum DateOrder {
    DAY_FIRST,
    MONTH_FIRST;

    /** Parses the CLI spelling: {@code day-first} or {@code month-first}. */
    public static DateOrder parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "day-first" -> DAY_FIRST;
            case "month-first" -> MONTH_FIRST;
            default ->
                throw new IllegalArgumentException("date order must be day-first or month-first, not '" + text + "'");
        };
    }

    public String cliName() {
        return this == DAY_FIRST ? "day-first" : "month-first";
    }
}
