package io.tally.sheets;

/** A Sheets call that failed for good: the message names the spreadsheet, the sheet and the range. */
public final class SheetsException extends RuntimeException {
    private final int status;

    public SheetsException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The last HTTP status Sheets answered, or 0 when no answer came (a dropped connection, a time-out). */
    public int status() {
        return status;
    }
}
