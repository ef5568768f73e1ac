package io.tally.sheets;

/** A1 notation: sheet titles quoted, column letters. */
public final class A1 {
    private A1() {}

    /** {@code 'Pullus Purchase Tracker'!A1:F20000}: rows are 1-based and inclusive. */
    public static String range(String sheet, int firstRow, int lastRow, int columns) {
        return quote(sheet) + "!A" + firstRow + ":" + column(columns) + lastRow;
    }

    /** A sheet title as A1 notation needs it: in single quotes, inner quotes doubled. */
    public static String quote(String sheet) {
        return "'" + sheet.replace("'", "''") + "'";
    }

    /** The letters of 1-based column {@code n}: 1 is A, 27 is AA. */
    public static String column(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("columns are numbered from 1, not " + n);
        }
        StringBuilder sb = new StringBuilder();
        for (int c = n; c > 0; c = (c - 1) / 26) {
            sb.insert(0, (char) ('A' + (c - 1) % 26));
        }
        return sb.toString();
    }
}
