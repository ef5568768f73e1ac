package io.tally.core;

/**
 * A tracker that cannot be read at all: no header, a missing required column, an unclosed quote, a
 * record over 1 MiB or bytes that are not UTF-8. The message names the file and the row.
 */
public final class SheetFormatException extends RuntimeException {
    public SheetFormatException(String message) {
        super(message);
    }
}
