package io.tally.sheets;

/** A Sheets call that failed for good: the message names the spreadsheet, the sheet and the range. */
public final class SheetsException extends RuntimeException {
    private final int status;
    private final boolean retried;

    public SheetsException(String message, int status, Throwable cause) {
        this(message, status, cause, false);
    }

    /** @param retried whether an earlier attempt went unanswered, so a write may have applied after all */
    public SheetsException(String message, int status, Throwable cause, boolean retried) {
        super(message, cause);
        this.status = status;
        this.retried = retried;
    }

    /** The last HTTP status Sheets answered, or 0 when no answer came (a dropped connection, a time-out). */
    public int status() {
        return status;
    }

    /**
     * Whether the call was tried more than once: a write whose earlier attempt got no answer may have applied,
     * so its caller must look before it reports a failure.
     */
    public boolean retried() {
        return retried;
    }
}
