package io.tally.core;

import java.util.Optional;

/**
 * Verifies, range by range in file order, that each range's first record really starts where the
 * previous range's last record ended. A range whose start was guessed wrong (a quoted newline looks like
 * a line end) is read again from the true offset; a range that truly owns no record is dropped.
 */
final class Stitcher {
    private final Layout layout;
    private final RangeReader reader;
    private long expected;
    private long rereads;

    Stitcher(Layout layout, RangeReader reader) {
        this.layout = layout;
        this.reader = reader;
        this.expected = layout.dataStart();
    }

    /**
     * Takes the partial of the next range in file order (it must hold exactly that one range) and returns
     * the partial to merge for it, or empty when the range owns no record.
     */
    Optional<Partial> next(Partial rangePartial) {
        if (rangePartial.segments().size() != 1) {
            throw new IllegalArgumentException("the stitcher takes single-range partials");
        }
        Segment seg = rangePartial.segments().get(0);
        if (expected < 0) {
            // An earlier range is unreadable; finishing the partial reports it, with its row.
            return Optional.empty();
        }
        if (seg.rangeStart() > expected) {
            throw new IllegalStateException(
                    layout.source() + ": bytes " + expected + "-" + seg.rangeStart() + " belong to no range");
        }
        if (expected >= seg.rangeEnd()) {
            return Optional.empty();
        }
        Partial verified = rangePartial;
        if (seg.firstStart() != expected) {
            rereads++;
            verified = reader.read(expected, seg.rangeEnd(), true);
            seg = verified.segments().get(0);
        }
        expected = seg.lastEnd();
        return Optional.of(verified);
    }

    /** How many ranges had to be read again because their guessed start was wrong. */
    long rereads() {
        return rereads;
    }
}
