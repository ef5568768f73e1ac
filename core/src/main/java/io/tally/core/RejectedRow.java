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
 */
public record RejectedRow(long row, Code code, String detail, String raw) {

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
    }

    /** The {@code reason} cell: {@code CODE: detail}, e.g. {@code BAD_DATE: 31/02/2024}. */
    public String reason() {
        return code.name() + ": " + detail;
    }

    /** The same row at another row number. */
    RejectedRow atRow(long sheetRow) {
        return new RejectedRow(sheetRow, code, detail, raw);
    }
}
