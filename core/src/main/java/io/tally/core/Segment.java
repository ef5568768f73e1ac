package io.tally.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What one byte range of a tracker held. A range owns the records that start inside it.
 *
 * @param rangeStart  the range's first byte
 * @param rangeEnd    one past the range's last byte
 * @param exactStart  true when {@code firstStart} is known to be a record start; false when it was guessed
 * @param firstStart  offset of the first record the range owns, or -1 if it owns none
 * @param lastEnd     offset just past its last record (where the next range's first record starts), or -1
 * @param records     records read, blank ones included
 * @param blank       blank records
 * @param accepted    records that count in the totals
 * @param rejectedRows the rejected records, rows relative to this range (1 = its first record), held compactly
 *                    and on disk when many ({@link RejectedRows})
 * @param fatal       a fault that makes the file unreadable, row relative to this range
 */
record Segment(
        long rangeStart,
        long rangeEnd,
        boolean exactStart,
        long firstStart,
        long lastEnd,
        long records,
        long blank,
        long accepted,
        RejectedRows rejectedRows,
        Optional<Fatal> fatal) {

    /** An unreadable-input fault found inside a range. */
    public record Fatal(long row, String message) {}

    public Segment {
        Objects.requireNonNull(rejectedRows, "rejectedRows");
        if (records != blank + accepted + rejectedRows.size() + (fatal.isPresent() ? 1 : 0)) {
            throw new IllegalArgumentException("row accounting broken: " + records + " records != " + blank
                    + " blank + " + accepted + " accepted + " + rejectedRows.size() + " rejected");
        }
    }

    public boolean ownsRecords() {
        return firstStart >= 0;
    }

    public long rejected() {
        return rejectedRows.size();
    }
}
