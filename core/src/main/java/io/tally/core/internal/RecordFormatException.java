package io.tally.core.internal;

/** A fault in the bytes of a file, not in one row's values; the caller adds the file and row. */
public final class RecordFormatException extends RuntimeException {
    /** What is wrong, with the sentence the user sees. */
    public enum Kind {
        UNCLOSED_QUOTE("a quoted field opens on this row and is never closed"),
        UNCLOSED_QUOTE_TOO_LONG("a quoted field opens on this row and is not closed within 1 MiB"),
        TOO_LONG("the record is longer than 1 MiB"),
        BAD_UTF8("the bytes are not valid UTF-8");

        private final String sentence;

        Kind(String sentence) {
            this.sentence = sentence;
        }

        public String sentence() {
            return sentence;
        }
    }

    private final Kind kind;
    private final long offset;

    public RecordFormatException(Kind kind, long offset) {
        super(kind.sentence() + " (byte offset " + offset + ")", null, false, false);
        this.kind = kind;
        this.offset = offset;
    }

    public Kind kind() {
        return kind;
    }

    /** Absolute byte offset of the fault (for a bad record, where the record starts). */
    public long offset() {
        return offset;
    }
}
