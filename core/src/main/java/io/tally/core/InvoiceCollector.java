package io.tally.core;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.tally.core.internal.Bytes;
import io.tally.core.internal.IntSort;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gathers the accepted rows of flagged keys that a thread's readers hand on, over the ranges it reads, into
 * per-(date, officer, invoice) sums for {@code invoices.csv}. The lines live in flat arrays (an open-addressing index,
 * the invoice texts' bytes in one arena, eight sums a line), not as objects, so a million flagged rows cost no
 * garbage. At most {@link #byteBudget} bytes of lines are held; then they are sorted and set aside on disk as a run
 * ({@link Invoices}), so a range whose every row is a distinct invoice of a flagged key costs disk, not heap.
 */
final class InvoiceCollector implements RangeReader.AcceptedRows {
    /** Heap bytes (as {@link #heldBytes} counts them) a collector holds before it sets its lines aside. */
    static volatile long byteBudget = 6L << 20;
    /** Lines a collector holds before it sets them aside on disk as a sorted run, whatever their bytes; tests lower it. */
    static volatile int lineBudget = Integer.MAX_VALUE;
    /** A collector's last lines stay in memory when they are at most this many; tests lower it. */
    static volatile int keptInMemory = 1_024;

    /** Sums a line holds: rows, birds, chicken and gizzard (thousandths), purchase side first. */
    private static final int SUMS = 8;

    /** Heap bytes a line costs besides its invoice text: its fields, its sums and its share of the index. */
    private static final int LINE_BYTES = 4 + 8 + 4 + 4 + 8 * SUMS + 1 + 8 + 8;

    private static final byte[] NO_TEXT = new byte[0];

    /** The tracker of the range being read. */
    private Tracker tracker;
    /** The keys to gather, or null for every key. */
    private final FlaggedKeys flagged;

    private final Invoices out;
    /** Per slot of the range's table: 0 not yet judged, 1 flagged, 2 not. */
    private byte[] slotState = new byte[1024];
    /** Per officer id of the range's dictionary: its title-cased name, once needed. */
    private String[] names = new String[64];

    private int lines;
    private int[] index = new int[1 << 12];
    private int[] day = new int[1 << 11];
    private String[] officer = new String[1 << 11];
    private int[] textAt = new int[1 << 11];
    private int[] textLength = new int[1 << 11];
    private long[] sums = new long[SUMS << 11];
    /** Per line: bit 1 the purchase side has rows, bit 2 the inventory side. */
    private byte[] sides = new byte[1 << 11];
    /** Per line: its sums as an object once one left the {@code long} range (exact from then on), else null. */
    private InvoiceLine[] wide = new InvoiceLine[1 << 11];

    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;

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
        int officerId = KeyTable.officer(key);
        if (officerId >= names.length) {
            names = Arrays.copyOf(names, Math.max(officerId + 1, names.length * 2));
        }
        String name = names[officerId];
        if (name == null) {
            name = names[officerId] = officers.name(officerId);
        }
        if (invoice == null) {
            invoice = NO_TEXT;
            invoiceFrom = 0;
            invoiceTo = 0;
        }
        int line = line(KeyTable.epochDay(key), name, invoice, invoiceFrom, invoiceTo);
        add(line, birds, chickenMilli, gizzardMilli);
        if (heldBytes() >= byteBudget || lines >= lineBudget) {
            spill(true);
        }
    }

    /** Hands what is left to the run's {@link Invoices}: the collector's ranges are read. */
    void finish() {
        if (lines > 0) {
            spill(lines > keptInMemory);
        }
    }

    /** Bytes the lines hold: what {@link #byteBudget} limits. */
    private long heldBytes() {
        return (long) lines * LINE_BYTES + arenaUsed;
    }

    /** The line of (day, name, invoice text), made with zero sums if new. */
    private int line(int d, String name, byte[] a, int from, int to) {
        int hash = hash(d, name, a, from, to);
        int mask = index.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int at = index[i] - 1;
            if (at < 0) {
                return newLine(i, d, name, a, from, to);
            }
            if (day[at] == d
                    && textLength[at] == to - from
                    && (officer[at] == name || officer[at].equals(name))
                    && Arrays.equals(arena, textAt[at], textAt[at] + (to - from), a, from, to)) {
                return at;
            }
        }
    }

    private static int hash(int d, String name, byte[] a, int from, int to) {
        long h = Bytes.keyedHash(a, from, to) * 31 + name.hashCode() * 17L + d;
        return (int) (h ^ (h >>> 32));
    }

    private int newLine(int slot, int d, String name, byte[] a, int from, int to) {
        int n = lines;
        if (n == day.length) {
            growLines();
            return line(d, name, a, from, to); // the index was rebuilt: find the free slot again
        }
        int length = to - from;
        if (arenaUsed + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arenaUsed + length, arena.length * 2));
        }
        System.arraycopy(a, from, arena, arenaUsed, length);
        day[n] = d;
        officer[n] = name;
        textAt[n] = arenaUsed;
        textLength[n] = length;
        arenaUsed += length;
        index[slot] = n + 1;
        lines++;
        return n;
    }

    private void growLines() {
        int cap = day.length * 2;
        day = Arrays.copyOf(day, cap);
        officer = Arrays.copyOf(officer, cap);
        textAt = Arrays.copyOf(textAt, cap);
        textLength = Arrays.copyOf(textLength, cap);
        sums = Arrays.copyOf(sums, SUMS * cap);
        sides = Arrays.copyOf(sides, cap);
        wide = Arrays.copyOf(wide, cap);
        index = new int[cap * 2];
        int mask = index.length - 1;
        for (int n = 0; n < lines; n++) {
            int i = hash(day[n], officer[n], arena, textAt[n], textAt[n] + textLength[n]) & mask;
            while (index[i] != 0) {
                i = (i + 1) & mask;
            }
            index[i] = n + 1;
        }
    }

    private void add(int line, long birds, long chickenMilli, long gizzardMilli) {
        InvoiceLine w = wide[line];
        if (w != null) {
            w.side(tracker).add(birds, chickenMilli, gizzardMilli);
            return;
        }
        int at = line * SUMS + (tracker == Tracker.PURCHASE ? 0 : 4);
        long b = sums[at + 1] + birds;
        long c = sums[at + 2] + chickenMilli;
        long g = sums[at + 3] + gizzardMilli;
        // Each value is under 10^18 and not negative: a sum that passed Long.MAX_VALUE went negative.
        if ((b | c | g) < 0 || sums[at] == Long.MAX_VALUE) {
            w = wide[line] = object(line);
            w.side(tracker).add(birds, chickenMilli, gizzardMilli);
            return;
        }
        sums[at]++;
        sums[at + 1] = b;
        sums[at + 2] = c;
        sums[at + 3] = g;
        sides[line] |= (byte) (tracker == Tracker.PURCHASE ? 1 : 2);
    }

    /** Line {@code n} as an object, with its sums so far. */
    private InvoiceLine object(int n) {
        if (wide[n] != null) {
            return wide[n];
        }
        InvoiceLine line = new InvoiceLine(day[n], officer[n], text(n));
        for (Tracker t : Tracker.values()) {
            if ((sides[n] & (t == Tracker.PURCHASE ? 1 : 2)) != 0) {
                int at = n * SUMS + (t == Tracker.PURCHASE ? 0 : 4);
                line.side(t).set(sums[at], sums[at + 1], sums[at + 2], sums[at + 3]);
            }
        }
        return line;
    }

    private String text(int n) {
        return new String(arena, textAt[n], textLength[n], UTF_8);
    }

    /** Sets the lines aside as one sorted run, on disk or in memory, and starts afresh. */
    private void spill(boolean toDisk) {
        int[] order = new int[lines];
        for (int n = 0; n < lines; n++) {
            order[n] = n;
        }
        IntSort.sort(order, this::compare);
        if (toDisk) {
            out.addRun(data -> {
                for (int n : order) {
                    write(n, data);
                }
                return order.length;
            });
        } else {
            List<InvoiceLine> sorted = new ArrayList<>(order.length);
            for (int n : order) {
                sorted.add(object(n));
            }
            out.add(sorted, false);
        }
        Arrays.fill(index, 0);
        Arrays.fill(officer, 0, lines, null);
        Arrays.fill(sums, 0, lines * SUMS, 0);
        Arrays.fill(sides, 0, lines, (byte) 0);
        Arrays.fill(wide, 0, lines, null);
        lines = 0;
        arenaUsed = 0;
    }

    /** The report's order ({@link InvoiceLine#ORDER}) of two lines. */
    private int compare(int a, int b) {
        int c = Integer.compare(day[a], day[b]);
        if (c != 0) {
            return c;
        }
        c = officer[a] == officer[b] ? 0 : officer[a].compareTo(officer[b]);
        if (c != 0) {
            return c;
        }
        int la = textLength[a];
        int lb = textLength[b];
        if (la == 0 || lb == 0) {
            return Boolean.compare(la == 0, lb == 0); // the invoice-less line last
        }
        // UTF-8 bytes compare as String.compareTo does while both are ASCII; otherwise the texts are compared.
        int pa = textAt[a];
        int pb = textAt[b];
        int n = Math.min(la, lb);
        for (int k = 0; k < n; k++) {
            byte x = arena[pa + k];
            byte y = arena[pb + k];
            if ((x | y) < 0) {
                return InvoiceLine.compareInvoices(text(a), text(b));
            }
            if (x != y) {
                return x - y;
            }
        }
        if (la != lb) {
            byte next = la > lb ? arena[pa + n] : arena[pb + n];
            if (next < 0) {
                return InvoiceLine.compareInvoices(text(a), text(b));
            }
        }
        return la - lb;
    }

    private String lastOfficer;
    private byte[] lastOfficerBytes;

    /** Writes line {@code n} as {@link InvoiceLine#write} would. */
    private void write(int n, DataOutputStream data) throws IOException {
        if (wide[n] != null) {
            wide[n].write(data);
            return;
        }
        if (officer[n] != lastOfficer) {
            lastOfficer = officer[n];
            lastOfficerBytes = lastOfficer.getBytes(UTF_8);
        }
        InvoiceLine.write(data, day[n], lastOfficerBytes, arena, textAt[n], textLength[n], sides[n], sums, n * SUMS);
    }
}
