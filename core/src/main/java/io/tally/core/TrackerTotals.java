package io.tally.core;

import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;

/** One tracker, fully read: its layout, row accounting, rejected rows with sheet row numbers, and totals. */
public final class TrackerTotals {
    private final Layout layout;
    private final long rowsRead;
    private final long blank;
    private final long accepted;
    private final RejectedRows rejected;
    private final OfficerDictionary officers;
    private final KeyTable table;
    /** Each range's records as read: its first record's start and its last record's end, in file order. */
    private final long[] spans;

    TrackerTotals(
            Layout layout,
            long rowsRead,
            long blank,
            long accepted,
            RejectedRows rejected,
            OfficerDictionary officers,
            KeyTable table,
            long[] spans) {
        this.layout = layout;
        this.rowsRead = rowsRead;
        this.blank = blank;
        this.accepted = accepted;
        this.rejected = rejected;
        this.officers = officers;
        this.table = table;
        this.spans = spans.clone();
    }

    /**
     * The verified byte spans of the ranges that held records, as pairs (first record's start, last record's end):
     * reading each again with an exact start gives the same records, wherever the first read guessed its start.
     */
    public long[] spans() {
        return spans.clone();
    }

    public Layout layout() {
        return layout;
    }

    /** Data rows after the header: blank + accepted + rejected. */
    public long rowsRead() {
        return rowsRead;
    }

    public long blank() {
        return blank;
    }

    public long accepted() {
        return accepted;
    }

    /** The rejected rows in row order, read back from disk when there were many. */
    public RejectedRows rejected() {
        return rejected;
    }

    public int keyCount() {
        return table.size();
    }

    OfficerDictionary officers() {
        return officers;
    }

    KeyTable table() {
        return table;
    }
}
