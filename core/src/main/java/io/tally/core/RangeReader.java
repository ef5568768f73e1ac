package io.tally.core;

import io.tally.core.internal.Bytes;
import io.tally.core.internal.Dates;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.Names;
import io.tally.core.internal.Numbers;
import io.tally.core.internal.OfficerDictionary;
import io.tally.core.internal.PlainCells;
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
    private final boolean fastPath;

    /** A reader whose rows count into {@code memory}, the run's ({@link Reconcile#readRange}). */
    RangeReader(ByteSource source, Layout layout, DateOrder dateOrder, MemoryUse memory) {
        this(source, layout, dateOrder, memory, true);
    }

    /**
     * With {@code fastPath} false, every record goes through the reference path (the record scanner, then the
     * cleaning of each cell): for tests that compare the two.
     */
    RangeReader(ByteSource source, Layout layout, DateOrder dateOrder, boolean fastPath) {
        this(source, layout, dateOrder, new MemoryUse(), fastPath);
    }

    RangeReader(ByteSource source, Layout layout, DateOrder dateOrder, MemoryUse memory, boolean fastPath) {
        this.source = source;
        this.layout = layout;
        this.dateOrder = dateOrder;
        this.memory = memory;
        this.fastPath = fastPath;
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
        /**
         * One accepted row of the key in {@code slot}: its INVOICE NUMBER, trimmed, is {@code invoice[invoiceFrom,
         * invoiceTo)} (empty when the cell is empty or the tracker has no such column), valid during the call only.
         */
        void accepted(
                OfficerDictionary officers,
                int slot,
                long key,
                byte[] invoice,
                int invoiceFrom,
                int invoiceTo,
                long birds,
                long chickenMilli,
                long gizzardMilli);

        /**
         * Whether the rows of the key in {@code slot} are wanted at all: the fast path skips the other cells of a row
         * whose key is not (the reference path still hands it on). Every key by default.
         */
        default boolean wants(OfficerDictionary officers, int slot, long key) {
            return true;
        }
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
            RecordScanner scanner = scanner(in, openAt);
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

    /**
     * {@code invoices.csv}'s second pass over stretches of the tracker only: hands {@code rows} the accepted rows of
     * the records starting in each interval {@code [spans[k], spans[k + 1])}, {@code k = from, from + 2, ... < to}.
     * The intervals are sorted and disjoint, each start a record start the first pass found; they are read in one
     * stream, the bytes between them passed over unparsed.
     */
    void readSpans(long[] spans, int from, int to, AcceptedRows rows) {
        long first = spans[from];
        long last = spans[to - 1];
        if (first < layout.dataStart() || last > layout.size() || first > last) {
            throw new IllegalArgumentException("stretch " + first + "-" + last + " is outside the data of "
                    + layout.source() + " (" + layout.dataStart() + "-" + layout.size() + ")");
        }
        long readUpTo = Math.min(layout.size(), last + RecordScanner.MAX_RECORD_BYTES + 3);
        try (InputStream in = source.open(first, readUpTo)) {
            RecordScanner scanner = scanner(in, first);
            new Rows(scanner, first, first, last, true, bytes -> {}, rows).readIntervals(spans, from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.source() + " bytes " + first + "-" + last, e);
        }
    }

    /** A scanner of {@code in}, which starts at byte {@code offset}, splitting the fields up to the last one read. */
    private RecordScanner scanner(InputStream in, long offset) {
        RecordScanner scanner = new RecordScanner(in, offset);
        scanner.limitFields(
                layout.columnIndex().stream().mapToInt(Integer::intValue).max().orElse(0) + 1);
        return scanner;
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

        /** Per cell index up to the last read column: what the fast path does with it ({@code ROLE_*}). */
        private final byte[] roles;
        /**
         * Whether the fast path reads the INVOICE NUMBER: on the purchase side, where it is required, and on the
         * inventory side when {@code invoices.csv}'s second pass wants it, where it is optional.
         */
        private final boolean readsInvoice;

        private final PlainCells.Cell fastDate = new PlainCells.Cell();
        private final PlainCells.Cell fastOfficer = new PlainCells.Cell();
        private int fastDay;
        private int fastOfficerId;
        /** The slot of the remembered date and officer, or -1. */
        private int fastSlot = -1;

        /** Sums of the fast path's latest rows of one slot, not yet added to the table. */
        private int sumSlot = -1;

        /** The record starts of the first and the last of those rows. */
        private long sumFirst;

        private long sumLast;

        private int sumRows;
        private long sumBirds;
        private long sumChicken;
        private long sumGizzard;

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
            this.readsInvoice = invoiceCol >= 0 && (purchase || acceptedRows != null);
            this.roles = roles();
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
                while (scanner.position() < end) {
                    if (!step()) {
                        break;
                    }
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
            flushSums();
            progress.accept(end - reported);
            table.compact();
            long lastEnd = fatal.isPresent() ? -1 : scanner.position();
            Segment segment = new Segment(
                    start, end, exactStart, first, lastEnd, records, blank, accepted, rejected.build(), fatal);
            return new Partial(layout.tracker(), officers, table, List.of(segment));
        }

        /** Reads the record at the scanner's position, by the fast path or the reference; false at the stream's end. */
        private boolean step() {
            int next = -1;
            if (fastPath && pausedFor == 0) {
                next = plainRow();
                tried++;
                missed += next < 0 ? 1 : 0;
                if (tried == SAMPLE_ROWS) {
                    // Mostly messy rows: each would be read twice, so the reference path takes them alone for a
                    // while. Either path gives the same totals.
                    pausedFor = missed > SAMPLE_ROWS / 4 ? PAUSE_ROWS : 0;
                    tried = 0;
                    missed = 0;
                }
            } else if (pausedFor > 0) {
                pausedFor--;
            }
            if (next >= 0) {
                records++;
                accepted++;
                scanner.consumed(next);
                return true;
            }
            if (!scanner.next()) {
                return false;
            }
            records++;
            row();
            return true;
        }

        /**
         * Reads the records starting in each interval {@code [spans[k], spans[k + 1])}, {@code k = from, from + 2,
         * ... < to}, passing over the bytes between them; what was counted is dropped.
         */
        void readIntervals(long[] spans, int from, int to) {
            try {
                for (int k = from; k < to; k += 2) {
                    scanner.skipTo(spans[k]);
                    while (scanner.position() < spans[k + 1] && step()) {
                        // each record is handed on by step
                    }
                }
            } catch (RecordFormatException e) {
                // The first pass read these bytes whole: they changed since (the run's file stamps tell the user).
                throw new IllegalStateException(
                        layout.source() + " changed while it was read: "
                                + e.kind().sentence(),
                        e);
            } finally {
                rejected.discard();
            }
        }

        private static final byte ROLE_SKIP = 0;
        private static final byte ROLE_DATE = 1;
        private static final byte ROLE_OFFICER = 2;
        private static final byte ROLE_INVOICE = 3;
        private static final byte ROLE_BIRDS = 4;
        private static final byte ROLE_CHICKEN = 5;
        private static final byte ROLE_GIZZARD = 6;
        /** The roles a row must have, as bits {@code 1 << role}, for the fast path to take it. */
        private final int required = (1 << ROLE_DATE)
                | (1 << ROLE_OFFICER)
                | (1 << ROLE_BIRDS)
                | (1 << ROLE_CHICKEN)
                | (purchase ? 1 << ROLE_INVOICE : 0);

        /** The fast path is judged on this many rows at a time, and left out for PAUSE_ROWS if it misses too many. */
        private static final int SAMPLE_ROWS = 1024;

        private static final int PAUSE_ROWS = 64 * 1024;
        private int tried;
        private int missed;
        private int pausedFor;

        /** The fast path reads at most this many bytes of a record; longer ones take the reference path. */
        private static final int FAST_SPAN = 4096;

        private byte[] roles() {
            int last = layout.columnIndex().stream()
                    .mapToInt(Integer::intValue)
                    .max()
                    .orElse(0);
            byte[] r = new byte[last + 1];
            r[dateCol] = ROLE_DATE;
            r[officerCol] = ROLE_OFFICER;
            if (readsInvoice) {
                r[invoiceCol] = ROLE_INVOICE;
            }
            r[birdsCol] = ROLE_BIRDS;
            r[chickenCol] = ROLE_CHICKEN;
            if (gizzardCol >= 0) {
                r[gizzardCol] = ROLE_GIZZARD;
            }
            return r;
        }

        /**
         * The fast path: reads the record at the scanner's position straight from its buffer if it is plain (whole
         * in the buffer, no quote, only ASCII, under {@link #FAST_SPAN} bytes) and is accepted, and adds it to the
         * totals. Returns the buffer index of the next record, or -1, having changed nothing but caches, when the
         * record must take the reference path ({@link #row()}), which gives the same totals for any record this
         * one takes.
         */
        private int plainRow() {
            RecordScanner sc = scanner;
            int p = sc.bufferPosition();
            int lim = sc.bufferLimit();
            if (lim - p < FAST_SPAN || p + FAST_SPAN + 32 > sc.buffer().length) {
                // Near the end of what is read, or of the buffer: read on, so no record waits for the reference path.
                sc.ensureBuffered(FAST_SPAN);
                p = sc.bufferPosition();
                lim = sc.bufferLimit();
                if (p + FAST_SPAN + 32 > sc.buffer().length) {
                    return -1;
                }
            }
            byte[] b = sc.buffer();
            int end = Math.min(lim, p + FAST_SPAN);
            byte[] r = roles;
            int seen = 0;
            int day = 0;
            boolean dateHit = false;
            boolean officerHit = false;
            int officerFrom = 0;
            int officerTo = 0;
            int officerCell = 0;
            int officerCellEnd = 0;
            int invoiceFrom = 0;
            int invoiceTo = 0;
            long birds = 0;
            long chicken = 0;
            long gizzard = 0;
            int slot = -1;
            int i = p;
            int t = p; // the index of the byte that ends the current cell
            for (int f = 0; f < r.length; f++) {
                byte role = r[f];
                switch (role) {
                    case ROLE_DATE -> {
                        if (fastDate.matches(b, i, end)) {
                            t = i + fastDate.length() - 1;
                            day = fastDay;
                            dateHit = true;
                        } else {
                            t = PlainCells.nextSpecial(b, i, end);
                            if (t >= end || !PlainCells.endsCell(b[t])) {
                                return -1;
                            }
                            int s = Bytes.trimStart(b, i, t);
                            int e = Bytes.trimEnd(b, s, t);
                            if (s == e) {
                                return -1;
                            }
                            day = dates.parse(b, s, e);
                            if (day == Dates.BAD) {
                                return -1;
                            }
                            fastDate.set(b, i, t - i + 1);
                            fastDay = day;
                            fastSlot = -1;
                        }
                    }
                    case ROLE_OFFICER -> {
                        if (fastOfficer.matches(b, i, end)) {
                            t = i + fastOfficer.length() - 1;
                            officerHit = true;
                        } else {
                            t = PlainCells.nextSpecial(b, i, end);
                            if (t >= end || !PlainCells.endsCell(b[t])) {
                                return -1;
                            }
                            officerFrom = Bytes.trimStart(b, i, t);
                            officerTo = Bytes.trimEnd(b, officerFrom, t);
                            if (officerFrom == officerTo) {
                                return -1;
                            }
                            officerCell = i;
                            officerCellEnd = t;
                        }
                    }
                    case ROLE_INVOICE -> {
                        t = PlainCells.nextSpecial(b, i, end);
                        if (t >= end || !PlainCells.endsCell(b[t])) {
                            return -1;
                        }
                        invoiceFrom = i;
                        invoiceTo = t;
                        if (i == t || Bytes.isSpace(b[i]) || Bytes.isSpace(b[t - 1])) {
                            invoiceFrom = Bytes.trimStart(b, i, t);
                            invoiceTo = Bytes.trimEnd(b, invoiceFrom, t);
                            if (invoiceFrom == invoiceTo && purchase) {
                                return -1; // required on the purchase side: the reference path rejects the row
                            }
                        }
                    }
                    case ROLE_BIRDS -> {
                        long v = PlainCells.plainWhole(b, i);
                        if (v >= 0) {
                            birds = v >>> 8;
                            t = i + (int) (v & 0xff);
                        } else {
                            t = PlainCells.nextSpecial(b, i, end);
                            if (t >= end
                                    || !PlainCells.endsCell(b[t])
                                    || numbers.parseWhole(b, i, t) != Numbers.Outcome.OK) {
                                return -1;
                            }
                            birds = numbers.value();
                        }
                    }
                    case ROLE_CHICKEN -> {
                        long v = PlainCells.plainMilli(b, i);
                        if (v >= 0) {
                            chicken = v >>> 8;
                            t = i + (int) (v & 0xff);
                        } else {
                            t = PlainCells.nextSpecial(b, i, end);
                            if (t >= end
                                    || !PlainCells.endsCell(b[t])
                                    || numbers.parseMilli(b, i, t) != Numbers.Outcome.OK) {
                                return -1;
                            }
                            chicken = numbers.value();
                        }
                    }
                    case ROLE_GIZZARD -> {
                        long v = PlainCells.plainMilli(b, i);
                        if (v >= 0) {
                            gizzard = v >>> 8;
                            t = i + (int) (v & 0xff);
                        } else {
                            t = PlainCells.nextSpecial(b, i, end);
                            if (t >= end || !PlainCells.endsCell(b[t])) {
                                return -1;
                            }
                            Numbers.Outcome o = numbers.parseMilli(b, i, t);
                            if (o != Numbers.Outcome.OK && o != Numbers.Outcome.EMPTY) {
                                return -1;
                            }
                            gizzard = numbers.value();
                        }
                    }
                    default -> {
                        t = PlainCells.nextSpecial(b, i, end);
                        if (t >= end || !PlainCells.endsCell(b[t])) {
                            return -1;
                        }
                    }
                }
                if (t >= end) {
                    return -1;
                }
                seen |= 1 << role;
                if (slot < 0 && acceptedRows != null && (seen & KEY_ROLES) == KEY_ROLES) {
                    // invoices.csv's second pass: a row whose key is not wanted needs only its end found.
                    slot = slot(dateHit, officerHit, day, b, officerFrom, officerTo, officerCell, officerCellEnd);
                    if (!acceptedRows.wants(officers, slot, table.keyAt(slot))) {
                        return nextRecord(b, t, end, lim);
                    }
                }
                if (b[t] != ',') {
                    break; // the record ends with this cell: the columns after it are absent
                }
                i = t + 1;
            }
            if ((seen & required) != required) {
                return -1;
            }
            int next = nextRecord(b, t, end, lim);
            if (next < 0) {
                return -1;
            }

            // Accepted: the same totals the reference path adds.
            if (slot < 0) {
                slot = slot(dateHit, officerHit, day, b, officerFrom, officerTo, officerCell, officerCellEnd);
            }
            long recordStart = sc.position();
            if (slot != sumSlot || sumRows == MAX_SUM_ROWS || ((birds | chicken | gizzard) >>> 40) != 0) {
                flushSums();
                sumSlot = slot;
                sumFirst = recordStart;
            }
            sumLast = recordStart;
            // At most one value of 2^40 or more (under 10^18: 15 digits) and 2^20 under it: no sum can overflow.
            sumRows++;
            sumBirds += birds;
            sumChicken += chicken;
            sumGizzard += gizzard;
            if (purchase) {
                table.addInvoice(slot, b, invoiceFrom, invoiceTo);
            }
            if (acceptedRows != null) {
                acceptedRows.accepted(
                        officers, slot, table.keyAt(slot), b, invoiceFrom, invoiceTo, birds, chicken, gizzard);
            }
            return next;
        }

        private static final int MAX_SUM_ROWS = 1 << 20;

        /** The roles that make a row's key, as bits {@code 1 << role}. */
        private static final int KEY_ROLES = (1 << ROLE_DATE) | (1 << ROLE_OFFICER);

        /**
         * The table slot of the fast path's row: the remembered one when its date and officer cells repeat the last
         * row's, else looked up, the officer's cell then remembered.
         */
        private int slot(
                boolean dateHit,
                boolean officerHit,
                int day,
                byte[] b,
                int officerFrom,
                int officerTo,
                int officerCell,
                int officerCellEnd) {
            if (dateHit && officerHit && fastSlot >= 0) {
                return fastSlot;
            }
            if (!officerHit) {
                fastOfficerId = officers.idOf(b, officerFrom, officerTo);
                fastOfficer.set(b, officerCell, officerCellEnd - officerCell + 1);
            }
            fastSlot = table.slot(KeyTable.key(day, fastOfficerId));
            return fastSlot;
        }

        /**
         * The buffer index of the record after the one whose cell ends at {@code t}, or -1 when the rest of the record
         * is not plain: only the line end, quotes and UTF-8 of the cells after {@code t} matter (a tab or another
         * control character stops the search too, and sends the record to the reference path).
         */
        private static int nextRecord(byte[] b, int t, int end, int lim) {
            int lineEnd = t;
            if (b[t] == ',') {
                lineEnd = PlainCells.nextControlQuoteOrHigh(b, t + 1, end);
                if (lineEnd >= end || (b[lineEnd] != '\n' && b[lineEnd] != '\r')) {
                    return -1;
                }
            }
            int next = lineEnd + 1;
            if (b[lineEnd] == '\r') {
                if (next >= lim) {
                    return -1; // a CRLF cut by the buffer's end
                }
                if (b[next] == '\n') {
                    next++;
                }
            }
            return next;
        }

        /** Adds the fast path's pending sums to the table. */
        private void flushSums() {
            if (sumRows > 0) {
                table.add(sumSlot, sumBirds, sumChicken, sumGizzard);
                table.rows(sumSlot, sumFirst, sumLast);
            }
            sumSlot = -1;
            sumRows = 0;
            sumBirds = 0;
            sumChicken = 0;
            sumGizzard = 0;
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

            // INVOICE NUMBER (required on the purchase side; on the inventory side optional, and read only for
            // invoices.csv's second pass)
            byte[] invoice = null;
            int invoiceFrom = 0;
            int invoiceTo = 0;
            if (purchase) {
                if (invoiceCol >= n || isEmpty(invoiceCol)) {
                    reject(RejectedRow.Code.MISSING, name(Column.INVOICE));
                    return;
                }
            }
            if (readsInvoice && invoiceCol < n) {
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
            table.rows(slot, s.recordStart(), s.recordStart());
            if (purchase) {
                table.addInvoice(slot, invoice, invoiceFrom, invoiceTo);
            }
            if (acceptedRows != null) {
                acceptedRows.accepted(
                        officers, slot, table.keyAt(slot), invoice, invoiceFrom, invoiceTo, birds, chicken, gizzard);
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
