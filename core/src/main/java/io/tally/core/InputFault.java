package io.tally.core;

import java.util.OptionalLong;

/**
 * The parent of every fault in the input, as opposed to Tally's or its infrastructure's: a tracker that cannot be
 * read, one that changed while it was read, an S3 object replaced mid-run. Each names the file (or object) and,
 * where there is one, the row; its message is the one line the user sees. Retrying cannot help: the user fixes
 * the input and runs again.
 */
public abstract class InputFault extends RuntimeException {
    /**
     * Begins the text of a failure reported across a process boundary (the Glue job's failure message), so that
     * whoever reads it there can tell an input fault from Tally's.
     */
    public static final String MARK = "input fault: ";

    private final String file;
    private final long row;

    /** @param row the 1-based row, or 0 when the fault is not in one row */
    protected InputFault(String file, long row, String message) {
        super(message);
        this.file = file;
        this.row = row;
    }

    /** The file, or the object's key, at fault. */
    public String file() {
        return file;
    }

    /** The 1-based row at fault, when the fault is in one. */
    public OptionalLong row() {
        return row > 0 ? OptionalLong.of(row) : OptionalLong.empty();
    }
}
