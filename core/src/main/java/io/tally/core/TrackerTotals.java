package io.tally.core;

import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.util.List;

/** One tracker, fully read: its layout, row accounting, rejected rows with sheet row numbers, and totals. */
public final class TrackerTotals {
    private final Layout layout;
    private final long rowsRead;
    private final long blank;
    private final long accepted;
    private final List<RejectedRow> rejected;
    private final OfficerDictionary officers;
    private final KeyTable table;

    TrackerTotals(Layout layout, long rowsRead, long blank, long accepted, List<RejectedRow> rejected,
            OfficerDictionary officers, KeyTable table) {
        this.layout = layout;
        this.rowsRead = rowsRead;
        this.blank = blank;
        this.accepted = accepted;
        this.rejected = List.copyOf(rejected);
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

    public List<RejectedRow> rejected() {
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
