package io.tally.core;

import java.util.Objects;

/**
 * A row left out of every total, with why.
 *
 * @param row    1-based row number; relative to its range inside a partial, as the sheet shows it after
 *               {@link Partial#finish}
 * @param code   what rule the row broke
 * @param detail the column, and for a bad value the trimmed cell text: {@code NUMBER OF BIRDS=12.5}
 * @param raw    every cell as read, joined by {@code |}
 * @param day    the (date, officer) key the row would have counted toward, as days since 1970-01-01, when its
 *               DATE parsed and its PURCHASE OFFICER NAME is not blank; {@link #NO_KEY} otherwise
 * @param officer that key's officer, title-cased; empty when there is no key
 */
public record RejectedRow(long row, Code code, String detail, String raw, int day, String officer) {
    /** The {@link #day} of a row whose DATE did not parse or whose officer is blank: it belongs to no key. */
    public static final int NO_KEY = Integer.MIN_VALUE;

    /** The rules a row can break, as {@code rejected_rows.csv} names them. */
    public enum Code {
        /** A required cell is empty. */
        MISSING,
        /** DATE is not one of the accepted forms. */
        BAD_DATE,
        /** A number does not parse, or a bird count is not whole. */
        BAD_NUMBER,
        /** A number is below zero. */
        NEGATIVE
    }

    public RejectedRow {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(officer, "officer");
        if ((day == NO_KEY) != officer.isEmpty()) {
            throw new IllegalArgumentException("a rejected row has both a day and an officer, or neither");
        }
    }

    /** A row that belongs to no key. */
    public RejectedRow(long row, Code code, String detail, String raw) {
        this(row, code, detail, raw, NO_KEY, "");
    }

    /** Whether the row would have counted toward a (date, officer) key: its DATE parsed, its officer is not blank. */
    public boolean hasKey() {
        return day != NO_KEY;
    }

    /** The {@code reason} cell: {@code CODE: detail}, e.g. {@code BAD_DATE: 31/02/2024}. */
    public String reason() {
        return code.name() + ": " + detail;
    }

    /** The same row at another row number. */
    RejectedRow atRow(long sheetRow) {
        return new RejectedRow(sheetRow, code, detail, raw, day, officer);
    }
}
