package io.tally.core;

import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Per-(date, officer) totals of one tracker over some of its byte ranges, with the rejected rows of
 * each range. Partials merge associatively and commutatively: whatever the split and the order, the
 * merged partial holds the same totals and the same segments. {@link #finish} then turns the segments'
 * relative row numbers into sheet row numbers, checking that the ranges tile the file exactly.
 */
public final class Partial {
    private final Tracker tracker;
    private final OfficerDictionary officers;
    private final KeyTable table;
    private final List<Segment> segments;

    Partial(Tracker tracker, OfficerDictionary officers, KeyTable table, List<Segment> segments) {
        this.tracker = Objects.requireNonNull(tracker);
        this.officers = officers;
        this.table = table;
        this.segments = new ArrayList<>(segments);
        this.segments.sort(Comparator.comparingLong(Segment::rangeStart));
    }

    /** A partial covering nothing: the identity of {@link #merge}. */
    public static Partial empty(Tracker tracker) {
        return empty(tracker, new OfficerDictionary());
    }

    /**
     * A partial covering nothing whose officers go into {@code officers}, which other partials may share: the
     * merge gives both trackers one dictionary, so a million officers' names are held once, not once a side.
     */
    static Partial empty(Tracker tracker, OfficerDictionary officers) {
        return new Partial(tracker, officers, new KeyTable(), List.of());
    }

    /** Merges two partials into a new one; neither input changes. */
    public static Partial merge(Partial a, Partial b) {
        return empty(a.tracker).absorb(a).absorb(b);
    }

    /** Adds {@code other} into this partial and returns this. */
    public Partial absorb(Partial other) {
        if (other.tracker != tracker) {
            throw new IllegalArgumentException(
                    "cannot merge a " + other.tracker.label() + " partial into a " + tracker.label() + " partial");
        }
        int[] officerIds = new int[other.officers.size()];
        for (int i = 0; i < officerIds.length; i++) {
            officerIds[i] = officers.idOfName(other.officers, i);
        }
        KeyTable t = other.table;
        int[] slots = new int[t.size()];
        for (int s = 0; s < t.size(); s++) {
            long key = t.keyAt(s);
            int slot = table.slot(KeyTable.key(KeyTable.epochDay(key), officerIds[KeyTable.officer(key)]));
            slots[s] = slot;
            if (t.isWide(s)) {
                table.absorb(
                        slot,
                        t.exactBirds(s),
                        t.exactChicken(s),
                        t.exactGizzard(s),
                        t.invoiceSet(s),
                        t.invoiceCount(s));
            } else {
                table.absorb(slot, t.birds(s), t.chicken(s), t.gizzard(s), t.invoiceSet(s), t.invoiceCount(s));
            }
        }
        table.absorbRows(t, slots);
        for (Segment seg : other.segments) {
            addSegment(seg);
        }
        return this;
    }

    private void addSegment(Segment seg) {
        int at = 0;
        while (at < segments.size() && segments.get(at).rangeStart() <= seg.rangeStart()) {
            at++;
        }
        // Segments are kept in file order, so an overlap can only be with the nearest owning neighbours.
        for (int i = at - 1; i >= 0; i--) {
            if (segments.get(i).ownsRecords()) {
                checkDisjoint(segments.get(i), seg);
                break;
            }
        }
        for (int i = at; i < segments.size(); i++) {
            if (segments.get(i).ownsRecords()) {
                checkDisjoint(seg, segments.get(i));
                break;
            }
        }
        segments.add(at, seg);
    }

    private void checkDisjoint(Segment a, Segment b) {
        if (a.ownsRecords() && b.ownsRecords() && a.firstStart() < b.lastEnd() && b.firstStart() < a.lastEnd()) {
            throw new IllegalStateException(
                    tracker.label() + " ranges overlap: bytes " + a.firstStart() + "-" + a.lastEnd() + " and "
                            + b.firstStart() + "-" + b.lastEnd() + "; merging them would count rows twice");
        }
    }

    public Tracker tracker() {
        return tracker;
    }

    public List<Segment> segments() {
        return List.copyOf(segments);
    }

    /** The number of (date, officer) keys. */
    public int keyCount() {
        return table.size();
    }

    OfficerDictionary officers() {
        return officers;
    }

    KeyTable table() {
        return table;
    }

    /**
     * Checks that the segments cover the data rows of the file described by {@code layout} exactly, once
     * each, and turns relative row numbers into sheet row numbers.
     *
     * @throws SheetFormatException  if a segment holds an unreadable-input fault
     * @throws IllegalStateException if ranges are missing or do not meet
     */
    public TrackerTotals finish(Layout layout) {
        if (layout.tracker() != tracker) {
            throw new IllegalArgumentException(
                    "layout is for " + layout.tracker().label());
        }
        long expected = layout.dataStart();
        long rowBase = layout.headerRow();
        long records = 0;
        long blank = 0;
        long accepted = 0;
        List<RejectedRows> rejected = new ArrayList<>();
        long[] rejectedBase = new long[segments.size()];
        long rejectedCount = 0;
        long[] spans = new long[2 * segments.size()];
        int spanCount = 0;
        for (Segment seg : segments) {
            if (!seg.ownsRecords()) {
                continue;
            }
            if (seg.firstStart() != expected) {
                throw new IllegalStateException(
                        layout.source() + ": ranges do not meet: expected a range to start at byte " + expected
                                + " but the next starts at " + seg.firstStart());
            }
            if (seg.fatal().isPresent()) {
                Segment.Fatal f = seg.fatal().get();
                throw new SheetFormatException(
                        layout.source(),
                        rowBase + f.row(),
                        layout.source() + " row " + (rowBase + f.row()) + ": " + f.message());
            }
            rejectedBase[rejected.size()] = rowBase;
            rejected.add(seg.rejectedRows());
            rejectedCount += seg.rejected();
            rowBase += seg.records();
            records += seg.records();
            blank += seg.blank();
            accepted += seg.accepted();
            expected = seg.lastEnd();
            if (seg.accepted() > 0) {
                spans[spanCount++] = seg.firstStart();
                spans[spanCount++] = seg.lastEnd();
            }
        }
        if (expected != layout.size()) {
            throw new IllegalStateException(layout.source() + ": ranges cover bytes " + layout.dataStart() + "-"
                    + expected + " of " + layout.size() + "; the rest was never read");
        }
        if (records != blank + accepted + rejectedCount) {
            throw new IllegalStateException(layout.source() + ": row accounting broken");
        }
        return new TrackerTotals(
                layout,
                records,
                blank,
                accepted,
                RejectedRows.concat(rejected, rejectedBase),
                officers,
                table,
                Arrays.copyOf(spans, spanCount));
    }
}
