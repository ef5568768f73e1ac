package io.tally.core;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One column of a CSV report: its name and the kind of value it holds. The CSV renderer writes the header from
 * these, and whoever reads a report back (the Sheets write-back) types each cell by its column's kind, so no stage
 * guesses a cell's type from its text or its name.
 *
 * @param name the header cell, as DATA.md spells it
 * @param kind what its cells hold
 */
public record ReportColumn(String name, Kind kind) {

    /** What a column's cells hold. */
    public enum Kind {
        /** Free text (names, reasons, raw cells, codes); written with the formula escape. */
        TEXT(false, null),
        /** A date, {@code yyyy-MM-dd}. */
        DATE(false, null),
        /** A whole number: birds, rows, keys, invoices. */
        COUNT(true, "#,##0"),
        /** kg with exactly 3 decimals. */
        KG(true, "#,##0.000"),
        /** A percentage with exactly 2 decimals. */
        PERCENT(true, "0.00"),
        /**
         * A whole number or kg, by the row: findings' measures, which are birds on one row and kg on the next. A
         * spreadsheet shows it in its general format, since no one pattern fits both.
         */
        AMOUNT(true, null);

        private final boolean number;
        private final String sheetsPattern;

        Kind(boolean number, String sheetsPattern) {
            this.number = number;
            this.sheetsPattern = sheetsPattern;
        }

        /** Whether a cell of this kind is a number (or empty). */
        public boolean isNumber() {
            return number;
        }

        /** The number format a spreadsheet shows it in, or null for text and the general format. */
        public String sheetsPattern() {
            return sheetsPattern;
        }
    }

    public ReportColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    static ReportColumn text(String name) {
        return new ReportColumn(name, Kind.TEXT);
    }

    static ReportColumn count(String name) {
        return new ReportColumn(name, Kind.COUNT);
    }

    static ReportColumn kg(String name) {
        return new ReportColumn(name, Kind.KG);
    }

    /**
     * A cell as the report wrote it, typed: an exact {@link BigDecimal} for a number, the text with the formula
     * escape taken off otherwise (an empty cell is {@code ""} whatever the kind).
     *
     * @throws IllegalArgumentException if a number column holds text that is not a number
     */
    public Object value(String written) {
        if (!kind.isNumber() || written.isEmpty()) {
            return CsvText.unescape(written);
        }
        try {
            return new BigDecimal(written);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + name + " holds '" + written + "', not a number", e);
        }
    }
}
