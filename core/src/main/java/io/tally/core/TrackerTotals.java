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

    TrackerTotals(
            Layout layout,
            long rowsRead,
            long blank,
            long accepted,
            RejectedRows rejected,
            OfficerDictionary officers,
            KeyTable table) {
        this.layout = layout;
        this.rowsRead = rowsRead;
        this.blank = blank;
        this.accepted = accepted;
        this.rejected = rejected;
        this.officers = officers;
        this.table = table;
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
