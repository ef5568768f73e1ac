package io.tally.core;

/** {@code --out} cannot take the reports: the message names the path and the reason. */
public final class OutputFolderException extends RuntimeException {
    public OutputFolderException(String message) {
        super(message);
    }
}
