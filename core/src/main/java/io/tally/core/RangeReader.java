package io.tally.core;

import io.tally.core.internal.Bytes;
import io.tally.core.internal.Dates;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.Names;
import io.tally.core.internal.Numbers;
import io.tally.core.internal.OfficerDictionary;
import io.tally.core.internal.RecordFormatException;
import io.tally.core.internal.RecordScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Turns one byte range of a tracker into a {@link Partial}: it cleans every record that starts inside the
 * range, by DATA.md's rules, reading past the range's end to finish the last one. The same code runs in
 * the local threads, in the Lambda chunk workers and in the Spark executors.
 */
public final class RangeReader {
    private final ByteSource source;
    private final Layout layout;
    private final DateOrder dateOrder;
    private final MemoryUse memory;

    /** A reader whose rows count into {@code memory}, the run's ({@link Reconcile#readRange}). */
    RangeReader(ByteSource source, Layout layout, DateOrder dateOrder, MemoryUse memory) {
        this.source = source;
        this.layout = layout;
        this.dateOrder = dateOrder;
        this.memory = memory;
    }

    /**
     * Reads the records starting in {@code [start, end)}. When {@code exactStart} is false, {@code start}
     * is any offset and the first record start is guessed, to be verified by a {@link Stitcher}.
     */
    public Partial read(long start, long end, boolean exactStart) {
        return read(start, end, exactStart, bytes -> {});
    }

    /** As {@link #read(long, long, boolean)}, reporting bytes consumed to {@code progress} now and then. */
    public Partial read(long start, long end, boolean exactStart, LongConsumer progress) {
        return read(start, end, exactStart, progress, null);
    }

    /** Receives each accepted row as it is added to the totals ({@code invoices.csv}: {@link InvoiceCollector}). */
    interface AcceptedRows {
        void accepted(
                OfficerDictionary officers,
                int slot,
                long key,
                RecordScanner row,
                long birds,
                long chickenMilli,
                long gizzardMilli);
    }

    /** As {@link #read(long, long, boolean)}, handing each accepted row to {@code rows} too. */
    Partial read(long start, long end, boolean exactStart, AcceptedRows rows) {
        return read(start, end, exactStart, bytes -> {}, rows);
    }

    private Partial read(long start, long end, boolean exactStart, LongConsumer progress, AcceptedRows rows) {
        if (start < layout.dataStart() || end > layout.size() || start > end) {
            throw new IllegalArgumentException("range " + start + "-" + end + " is outside the data of "
                    + layout.source() + " (" + layout.dataStart() + "-" + layout.size() + ")");
        }
        if (start == layout.dataStart()) {
            exactStart = true;
        }
        long openAt = exactStart ? start : start - 1;
        long readUpTo = Math.min(layout.size(), end + RecordScanner.MAX_RECORD_BYTES + 3);
        try (InputStream in = source.open(openAt, readUpTo)) {
            RecordScanner scanner = new RecordScanner(in, openAt);
            scanner.limitFields(layout.columnIndex().stream()
                            .mapToInt(Integer::intValue)
                            .max()
                            .orElse(0)
                    + 1);
            long first = exactStart ? start : scanner.seekGuessedRecordStart(start);
            if (first < 0 || first >= end || start == end) {
                return partial(
                        new Segment(start, end, exactStart, -1, -1, 0, 0, 0, RejectedRows.empty(), Optional.empty()));
            }
            return new Rows(scanner, first, start, end, exactStart, progress, rows).run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.source() + " bytes " + start + "-" + end, e);
        }
    }

    private Partial partial(Segment segment) {
        return new Partial(layout.tracker(), new OfficerDictionary(), new KeyTable(16), List.of(segment));
    }

    /** A copy of the bytes of a recent cell, to tell whether the next row repeats it. */
    private static final class Slice {
        private byte[] bytes = new byte[64];
        private int length = -1;

        boolean matches(byte[] a, int s, int e) {
            return e - s == length && Arrays.equals(bytes, 0, length, a, s, e);
        }

        void set(byte[] a, int s, int e) {
            if (e - s > bytes.length) {
                bytes = new byte[e - s];
            }
            System.arraycopy(a, s, bytes, 0, e - s);
            length = e - s;
        }
    }

    /** The state of one pass over a range. */
    private final class Rows {
        private static final long PROGRESS_EVERY = 4 << 20;

        private final RecordScanner scanner;
        private final long first;
        private final long start;
        private final long end;
        private final boolean exactStart;
        private final LongConsumer progress;
        private final AcceptedRows acceptedRows;

        private final Dates dates = new Dates(dateOrder);
        private final Numbers numbers = new Numbers();
        private final OfficerDictionary officers = new OfficerDictionary();
        private final KeyTable table;
        private final RejectedRows.Builder rejected = RejectedRows.builder();
        private final boolean purchase = layout.tracker() == Tracker.PURCHASE;
        private final int dateCol = layout.index(Column.DATE);
        private final int officerCol = layout.index(Column.OFFICER);
        private final int invoiceCol = layout.index(Column.INVOICE);
        private final int birdsCol = layout.index(Column.BIRDS);
        private final int chickenCol = layout.index(Column.CHICKEN);
        private final int gizzardCol = layout.index(Column.GIZZARD);

        private final Slice lastDate = new Slice();
        private final Slice lastOfficer = new Slice();
        private int lastDay;
        private int lastSlot = -1;

        /** The day of the row being read once its DATE parsed and its officer is not blank; else NO_KEY. */
        private int keyDay = RejectedRow.NO_KEY;

        private long records;
        private long blank;
        private long accepted;

        Rows(
                RecordScanner scanner,
                long first,
                long start,
                long end,
                boolean exactStart,
                LongConsumer progress,
                AcceptedRows acceptedRows) {
            this.scanner = scanner;
            this.acceptedRows = acceptedRows;
            // A read for invoices.csv's second pass needs no distinct invoice counts: its totals are dropped.
            this.table = acceptedRows == null
                    ? new KeyTable(4096, memory::invoiceBytesRead)
                    : KeyTable.withoutInvoiceSets(4096);
            this.first = first;
            this.start = start;
            this.end = end;
            this.exactStart = exactStart;
            this.progress = progress;
        }

        /** Reads the range; rows set aside on disk for a read that fails are deleted with it. */
        Partial run() throws IOException {
            try {
                return readAll();
            } catch (IOException | RuntimeException | Error e) {
                rejected.discard();
                throw e;
            }
        }

        private Partial readAll() throws IOException {
            long reported = start;
            Optional<Segment.Fatal> fatal = Optional.empty();
            try {
                while (scanner.position() < end && scanner.next()) {
                    records++;
                    row();
                    long at = scanner.position();
                    if (at - reported >= PROGRESS_EVERY) {
                        progress.accept(Math.min(at, end) - reported);
                        reported = Math.min(at, end);
                    }
                }
            } catch (RecordFormatException e) {
                records++;
                String sentence = e.kind() == RecordFormatException.Kind.BAD_UTF8
                        ? InputDiagnosis.badUtf8(source, e.offset(), e.kind().sentence())
                        : e.kind().sentence();
                fatal = Optional.of(new Segment.Fatal(records, sentence));
            }
            progress.accept(end - reported);
            table.compact();
            long lastEnd = fatal.isPresent() ? -1 : scanner.position();
            Segment segment = new Segment(
                    start, end, exactStart, first, lastEnd, records, blank, accepted, rejected.build(), fatal);
            return new Partial(layout.tracker(), officers, table, List.of(segment));
        }

        private void row() {
            keyDay = RejectedRow.NO_KEY;
            RecordScanner s = scanner;
            if (s.isBlank()) {
                blank++;
                return;
            }
            int n = s.fieldCount();

            // DATE
            if (dateCol >= n || isEmpty(dateCol)) {
                reject(RejectedRow.Code.MISSING, name(Column.DATE));
                return;
            }
            byte[] da = s.array(dateCol);
            int ds = Bytes.trimStart(da, s.start(dateCol), s.end(dateCol));
            int de = Bytes.trimEnd(da, ds, s.end(dateCol));
            boolean sameDate = lastDate.matches(da, ds, de);
            int day = sameDate ? lastDay : dates.parse(da, ds, de);
            if (day == Dates.BAD) {
                reject(RejectedRow.Code.BAD_DATE, trimmed(dateCol));
                return;
            }

            // PURCHASE OFFICER NAME
            if (officerCol >= n || isEmpty(officerCol)) {
                reject(RejectedRow.Code.MISSING, name(Column.OFFICER));
                return;
            }
            // From here on a rejected row names the key it would have counted toward (findings.csv).
            keyDay = day;

            // INVOICE NUMBER (required on the purchase side, not read on the inventory side)
            byte[] invoice = null;
            int invoiceFrom = 0;
            int invoiceTo = 0;
            if (purchase) {
                if (invoiceCol >= n || isEmpty(invoiceCol)) {
                    reject(RejectedRow.Code.MISSING, name(Column.INVOICE));
                    return;
                }
                invoice = s.array(invoiceCol);
                invoiceFrom = Bytes.trimStart(invoice, s.start(invoiceCol), s.end(invoiceCol));
                invoiceTo = Bytes.trimEnd(invoice, invoiceFrom, s.end(invoiceCol));
            }

            // NUMBER OF BIRDS
            long birds;
            Numbers.Outcome o = birdsCol < n
                    ? numbers.parseWhole(s.array(birdsCol), s.start(birdsCol), s.end(birdsCol))
                    : Numbers.Outcome.EMPTY;
            if (o != Numbers.Outcome.OK) {
                rejectNumber(o, Column.BIRDS, birdsCol);
                return;
            }
            birds = numbers.value();

            // CHICKEN WEIGHT
            o = chickenCol < n
                    ? numbers.parseMilli(s.array(chickenCol), s.start(chickenCol), s.end(chickenCol))
                    : Numbers.Outcome.EMPTY;
            if (o != Numbers.Outcome.OK) {
                rejectNumber(o, Column.CHICKEN, chickenCol);
                return;
            }
            long chicken = numbers.value();

            // GIZZARD WEIGHT (optional: empty or absent is zero)
            long gizzard = 0;
            if (gizzardCol >= 0 && gizzardCol < n) {
                o = numbers.parseMilli(s.array(gizzardCol), s.start(gizzardCol), s.end(gizzardCol));
                if (o == Numbers.Outcome.BAD || o == Numbers.Outcome.NEGATIVE) {
                    rejectNumber(o, Column.GIZZARD, gizzardCol);
                    return;
                }
                gizzard = numbers.value();
            }

            byte[] a = s.array(officerCol);
            int from = Bytes.trimStart(a, s.start(officerCol), s.end(officerCol));
            int to = Bytes.trimEnd(a, from, s.end(officerCol));
            int slot;
            if (sameDate && lastSlot >= 0 && lastOfficer.matches(a, from, to)) {
                slot = lastSlot; // rows come grouped by (date, officer): skip the lookups
            } else {
                slot = table.slot(KeyTable.key(day, officers.idOf(a, from, to)));
                lastOfficer.set(a, from, to);
                if (!sameDate) {
                    lastDate.set(da, ds, de);
                    lastDay = day;
                }
                lastSlot = slot;
            }
            table.add(slot, birds, chicken, gizzard);
            if (purchase) {
                table.addInvoice(slot, invoice, invoiceFrom, invoiceTo);
            }
            if (acceptedRows != null) {
                acceptedRows.accepted(officers, slot, table.keyAt(slot), s, birds, chicken, gizzard);
            }
            accepted++;
        }

        private boolean isEmpty(int col) {
            byte[] a = scanner.array(col);
            return Bytes.trimStart(a, scanner.start(col), scanner.end(col)) == scanner.end(col);
        }

        private String trimmed(int col) {
            byte[] a = scanner.array(col);
            int from = Bytes.trimStart(a, scanner.start(col), scanner.end(col));
            int to = Bytes.trimEnd(a, from, scanner.end(col));
            return new String(a, from, to - from, StandardCharsets.UTF_8);
        }

        private String name(Column column) {
            return layout.tracker().spec(column).name();
        }

        private void rejectNumber(Numbers.Outcome o, Column column, int col) {
            switch (o) {
                case EMPTY -> reject(RejectedRow.Code.MISSING, name(column));
                case NEGATIVE -> reject(RejectedRow.Code.NEGATIVE, name(column));
                default -> reject(RejectedRow.Code.BAD_NUMBER, name(column) + "=" + trimmed(col));
            }
        }

        private void reject(RejectedRow.Code code, String detail) {
            if (keyDay == RejectedRow.NO_KEY) {
                rejected.add(new RejectedRow(records, code, detail, scanner.raw()));
            } else {
                rejected.add(new RejectedRow(
                        records, code, detail, scanner.raw(), keyDay, Names.titleCase(trimmed(officerCol))));
            }
            memory.rejectedRead();
        }
    }
}
