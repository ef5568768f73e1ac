package io.tally.core;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
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

    /** The tracker of the range being read. */
    private Tracker tracker;
    /** The keys to gather, or null for every key. */
    private final FlaggedKeys flagged;

    private final Invoices out;
    private final Map<LineKey, InvoiceLine> lines = new HashMap<>();
    private long held;
    /** Per slot of the range's table: 0 not yet judged, 1 flagged, 2 not. */
    private byte[] slotState = new byte[1024];
    /** Per officer id of the range's dictionary: its title-cased name, once needed. */
    private String[] names = new String[64];

    InvoiceCollector(FlaggedKeys flagged, Invoices out) {
        this.flagged = flagged;
        this.out = out;
    }

    /**
     * A range of {@code tracker} starts: its reader has a table and dictionary of its own, so what was judged of the
     * last range's slots and officer ids is forgotten. The lines gathered so far stay.
     */
    void startRange(Tracker tracker) {
        this.tracker = tracker;
        Arrays.fill(slotState, (byte) 0);
        Arrays.fill(names, null);
    }

    @Override
    public void accepted(
            OfficerDictionary officers,
            int slot,
            long key,
            byte[] invoice,
            int invoiceFrom,
            int invoiceTo,
            long birds,
            long chickenMilli,
            long gizzardMilli) {
        if (!wants(officers, slot, key)) {
            return;
        }
        int officer = KeyTable.officer(key);
        int day = KeyTable.epochDay(key);
        if (officer >= names.length) {
            names = Arrays.copyOf(names, Math.max(officer + 1, names.length * 2));
        }
        String name = names[officer];
        if (name == null) {
            name = names[officer] = officers.name(officer);
        }
        String text = invoice == null ? "" : new String(invoice, invoiceFrom, invoiceTo - invoiceFrom, UTF_8);
        LineKey k = new LineKey(day, name, text);
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

    @Override
    public boolean wants(OfficerDictionary officers, int slot, long key) {
        if (slot >= slotState.length) {
            slotState = Arrays.copyOf(slotState, Math.max(slot + 1, slotState.length * 2));
        }
        if (slotState[slot] == 0) {
            boolean in = flagged == null
                    || flagged.contains(KeyTable.epochDay(key), flagged.officer(officers, KeyTable.officer(key)));
            slotState[slot] = (byte) (in ? 1 : 2);
        }
        return slotState[slot] == 1;
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
