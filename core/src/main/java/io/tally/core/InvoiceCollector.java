package io.tally.core;

import io.tally.core.internal.Bytes;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import io.tally.core.internal.RecordScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers one range's accepted rows of flagged keys into per-(date, officer, invoice) sums for {@code
 * invoices.csv}. At most {@link #byteBudget} bytes of lines are held; then they are sorted and set aside on disk as a run
 * ({@link Invoices}), so a range whose every row is a distinct invoice of a flagged key costs disk, not heap.
 */
final class InvoiceCollector implements RangeReader.AcceptedRows {
    /** Heap bytes (as {@link InvoiceLine#heapBytes} counts them) a collector holds before it sets its lines aside. */
    static volatile long byteBudget = 6L << 20;
    /** Lines a collector holds before it sets them aside on disk as a sorted run, whatever their bytes; tests lower it. */
    static volatile int lineBudget = Integer.MAX_VALUE;
    /** A range's last lines stay in memory when they are at most this many; tests lower it. */
    static volatile int keptInMemory = 1_024;

    private record LineKey(int day, String officer, String invoice) {}

    private final Tracker tracker;
    private final int invoiceCol;
    /** The keys to gather, or null for every key. */
    private final FlaggedKeys flagged;

    private final Invoices out;
    private final Map<LineKey, InvoiceLine> lines = new HashMap<>();
    private long held;
    /** Per slot of the range's table: 0 not yet judged, 1 flagged, 2 not. */
    private byte[] slotState = new byte[1024];
    /** Per officer id of the range's dictionary: its title-cased name, once needed. */
    private String[] names = new String[64];

    InvoiceCollector(Layout layout, FlaggedKeys flagged, Invoices out) {
        this.tracker = layout.tracker();
        this.invoiceCol = layout.index(Column.INVOICE);
        this.flagged = flagged;
        this.out = out;
    }

    @Override
    public void accepted(
            OfficerDictionary officers,
            int slot,
            long key,
            RecordScanner row,
            long birds,
            long chickenMilli,
            long gizzardMilli) {
        if (slot >= slotState.length) {
            slotState = Arrays.copyOf(slotState, Math.max(slot + 1, slotState.length * 2));
        }
        int officer = KeyTable.officer(key);
        int day = KeyTable.epochDay(key);
        if (slotState[slot] == 0) {
            boolean in = flagged == null || flagged.contains(day, flagged.officer(officers, officer));
            slotState[slot] = (byte) (in ? 1 : 2);
        }
        if (slotState[slot] != 1) {
            return;
        }
        if (officer >= names.length) {
            names = Arrays.copyOf(names, Math.max(officer + 1, names.length * 2));
        }
        String name = names[officer];
        if (name == null) {
            name = names[officer] = officers.name(officer);
        }
        LineKey k = new LineKey(day, name, invoice(row));
        InvoiceLine line = lines.get(k);
        if (line == null) {
            line = new InvoiceLine(day, name, k.invoice());
            lines.put(k, line);
            held += line.heapBytes();
        }
        line.side(tracker).add(birds, chickenMilli, gizzardMilli);
        if (held >= byteBudget || lines.size() >= lineBudget) {
            out.add(sorted(), true);
        }
    }

    /** The row's INVOICE NUMBER, trimmed; empty when the cell is empty or the tracker has no such column. */
    private String invoice(RecordScanner row) {
        if (invoiceCol < 0 || invoiceCol >= row.fieldCount()) {
            return "";
        }
        byte[] a = row.array(invoiceCol);
        int from = Bytes.trimStart(a, row.start(invoiceCol), row.end(invoiceCol));
        int to = Bytes.trimEnd(a, from, row.end(invoiceCol));
        return new String(a, from, to - from, StandardCharsets.UTF_8);
    }

    /** Hands what is left to the run's {@link Invoices}: the range is read. */
    void finish() {
        if (!lines.isEmpty()) {
            boolean toDisk = lines.size() > keptInMemory;
            out.add(sorted(), toDisk);
        }
    }

    private List<InvoiceLine> sorted() {
        List<InvoiceLine> all = new ArrayList<>(lines.values());
        lines.clear();
        held = 0;
        all.sort(InvoiceLine.ORDER);
        return all;
    }
}
