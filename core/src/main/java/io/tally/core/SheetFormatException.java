package io.tally.core;

/**
 * A tracker that cannot be read at all: no header, a missing required column, an unclosed quote, a
 * record over 1 MiB or bytes that are not UTF-8. The message names the file and the row.
 */
public final class SheetFormatException extends InputFault {
    /** @param row the 1-based row, or 0 when the fault is in no one row (no header in the first rows) */
    public SheetFormatException(String file, long row, String message) {
        super(file, row, message);
    }
}
