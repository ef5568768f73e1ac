package io.tally.core;

import io.tally.core.internal.Bytes;
import io.tally.core.internal.RecordFormatException;
import io.tally.core.internal.RecordScanner;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a tracker's header row is and which column holds what. Found once from the head of the file;
 * every range of the file is then read with it.
 *
 * @param tracker     which tracker this is
 * @param source      the file's base name, as reports show it
 * @param size        the file's size in bytes
 * @param headerRow   the 1-based row number of the header
 * @param dataStart   the byte offset of the first record after the header
 * @param columnIndex per {@link Column} ordinal, the 0-based index of its cell, or -1 if the sheet has none
 */
public record Layout(
        Tracker tracker, String source, long size, int headerRow, long dataStart, List<Integer> columnIndex)
        implements Serializable {

    /** The header must be within this many rows. */
    public static final int HEADER_SEARCH_ROWS = 10;

    public Layout {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(source, "source");
        columnIndex = List.copyOf(columnIndex);
        if (columnIndex.size() != Column.values().length) {
            throw new IllegalArgumentException("columnIndex needs one entry per column");
        }
        if (headerRow < 1 || headerRow > HEADER_SEARCH_ROWS || dataStart < 0 || dataStart > size) {
            throw new IllegalArgumentException(
                    "inconsistent layout: header row " + headerRow + ", data start " + dataStart + ", size " + size);
        }
    }

    public int index(Column column) {
        return columnIndex.get(column.ordinal());
    }

    public boolean has(Column column) {
        return index(column) >= 0;
    }

    /**
     * Reads the first rows of {@code source} and finds the header.
     *
     * @throws SheetFormatException if no row among the first 10 holds every required column
     */
    public static Layout detect(ByteSource source, Tracker tracker) {
        long size = source.size();
        List<List<String>> rows = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        try (PushbackInputStream in = new PushbackInputStream(source.open(0, Math.min(size, 1 << 20)), 8)) {
            byte[] head = in.readNBytes(8);
            in.unread(head);
            Optional<String> notText = InputDiagnosis.notText(head);
            if (notText.isPresent()) {
                throw new SheetFormatException(source.name(), 0, source.name() + ": " + notText.get());
            }
            RecordScanner scanner = new RecordScanner(in, 0);
            scanner.skipByteOrderMark();
            while (rows.size() < HEADER_SEARCH_ROWS && next(scanner, source, rows.size() + 1)) {
                List<String> cells = new ArrayList<>(scanner.fieldCount());
                for (int f = 0; f < scanner.fieldCount(); f++) {
                    cells.add(scanner.text(f));
                }
                rows.add(cells);
                ends.add(scanner.recordEnd());
                int[] found = match(tracker, cells);
                if (missing(tracker, found).isEmpty()) {
                    requireEachColumnOnce(source.name(), rows.size(), tracker, cells);
                    return new Layout(
                            tracker,
                            source.name(),
                            size,
                            rows.size(),
                            scanner.recordEnd(),
                            Arrays.stream(found).boxed().toList());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.name(), e);
        }
        throw noHeader(source.name(), tracker, rows);
    }

    /**
     * Finds both trackers' headers, purchase first, as {@link #detect} does; when the two files are each the other
     * tracker, says they are swapped rather than that the first has no header.
     *
     * @throws SheetFormatException if either tracker has no header
     */
    public static Map<Tracker, Layout> detectBoth(ByteSource purchase, ByteSource inventory) {
        Map<Tracker, Layout> layouts = new EnumMap<>(Tracker.class);
        layouts.put(Tracker.PURCHASE, detectUnlessSwapped(purchase, Tracker.PURCHASE, inventory));
        layouts.put(Tracker.INVENTORY, detectUnlessSwapped(inventory, Tracker.INVENTORY, purchase));
        return layouts;
    }

    private static Layout detectUnlessSwapped(ByteSource source, Tracker tracker, ByteSource other) {
        try {
            return detect(source, tracker);
        } catch (SheetFormatException e) {
            Tracker otherTracker = tracker == Tracker.PURCHASE ? Tracker.INVENTORY : Tracker.PURCHASE;
            if (holdsHeader(source, otherTracker) && holdsHeader(other, tracker)) {
                throw new SheetFormatException(
                        source.name(),
                        0,
                        source.name() + ", given as the " + tracker.label() + " tracker, has the "
                                + otherTracker.label() + " tracker's columns, and " + other.name()
                                + ", given as the " + otherTracker.label() + " tracker, has the " + tracker.label()
                                + " tracker's: the two trackers are swapped; give each file as the other (in tally:"
                                + " swap the files of --purchase and --inventory)");
            }
            throw e;
        }
    }

    /** Whether a header of {@code tracker} is among the first rows of {@code source}. */
    private static boolean holdsHeader(ByteSource source, Tracker tracker) {
        try {
            detect(source, tracker);
            return true;
        } catch (InputFault | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean next(RecordScanner scanner, ByteSource source, int row) {
        try {
            return scanner.next();
        } catch (RecordFormatException e) {
            String sentence = e.kind() == RecordFormatException.Kind.BAD_UTF8
                    ? InputDiagnosis.badUtf8(source, e.offset(), e.kind().sentence())
                    : e.kind().sentence();
            throw new SheetFormatException(source.name(), row, source.name() + " row " + row + ": " + sentence);
        }
    }

    /** Normalises a header cell: trimmed, inner white space collapsed to one space, upper case. */
    public static String normalise(String cell) {
        StringBuilder sb = new StringBuilder(cell.length());
        boolean space = false;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (Bytes.isSpace(c)) {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static int[] match(Tracker tracker, List<String> cells) {
        int[] found = new int[Column.values().length];
        Arrays.fill(found, -1);
        for (int i = 0; i < cells.size(); i++) {
            String name = normalise(cells.get(i));
            for (Tracker.ColumnSpec spec : tracker.columns()) {
                if (spec.name().equals(name) && found[spec.column().ordinal()] < 0) {
                    found[spec.column().ordinal()] = i;
                }
            }
        }
        return found;
    }

    /** DATA.md, "A column read twice": a column Tally reads may appear only once in the header row. */
    private static void requireEachColumnOnce(String name, int row, Tracker tracker, List<String> cells) {
        for (Tracker.ColumnSpec spec : tracker.columns()) {
            int first = -1;
            for (int i = 0; i < cells.size(); i++) {
                if (spec.name().equals(normalise(cells.get(i)))) {
                    if (first >= 0) {
                        throw new SheetFormatException(
                                name,
                                row,
                                name + " row " + row + ": column " + spec.name()
                                        + " appears twice in the header, in columns " + position(first) + " and "
                                        + position(i) + "; Tally would not know which to read");
                    }
                    first = i;
                }
            }
        }
    }

    /** A 0-based cell index as the sheet shows it: {@code 4 (D)}. */
    static String position(int index) {
        StringBuilder letters = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return (index + 1) + " (" + letters + ")";
    }

    private static List<String> missing(Tracker tracker, int[] found) {
        return tracker.columns().stream()
                .filter(spec -> spec.required() && found[spec.column().ordinal()] < 0)
                .map(Tracker.ColumnSpec::name)
                .toList();
    }

    private static SheetFormatException noHeader(String name, Tracker tracker, List<List<String>> rows) {
        return otherSeparator(name, rows)
                .or(() -> otherTracker(name, tracker, rows))
                .orElseGet(() -> missingColumns(name, tracker, rows));
    }

    /** A row that is a header of either tracker once cut at semicolons or tabs rather than commas. */
    private static Optional<SheetFormatException> otherSeparator(String name, List<List<String>> rows) {
        for (int r = 0; r < rows.size(); r++) {
            String line = String.join(",", rows.get(r));
            for (char separator : new char[] {';', '\t'}) {
                List<String> cells = Arrays.asList(line.split(Pattern.quote(String.valueOf(separator)), -1));
                for (Tracker t : Tracker.values()) {
                    if (cells.size() > 1 && missing(t, match(t, cells)).isEmpty()) {
                        return Optional.of(new SheetFormatException(
                                name,
                                r + 1,
                                name + " row " + (r + 1) + ": the columns are separated by "
                                        + (separator == ';' ? "semicolons (;)" : "tabs")
                                        + ", not commas, and Tally reads comma-separated files only: download the sheet"
                                        + " with File > Download > CSV (in Excel: File > Save As > CSV UTF-8 (Comma"
                                        + " delimited), with the list separator set to a comma)"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A row that is a header of the other tracker: the file given is the other one. */
    private static Optional<SheetFormatException> otherTracker(String name, Tracker tracker, List<List<String>> rows) {
        Tracker other = tracker == Tracker.PURCHASE ? Tracker.INVENTORY : Tracker.PURCHASE;
        for (int r = 0; r < rows.size(); r++) {
            if (missing(other, match(other, rows.get(r))).isEmpty()) {
                List<String> own = missing(tracker, match(tracker, rows.get(r)));
                return Optional.of(new SheetFormatException(
                        name,
                        r + 1,
                        name + " row " + (r + 1) + ": this is the " + other.label() + " tracker's header (it has "
                                + String.join(", ", missing(other, match(other, headerOf(tracker))))
                                + "), not the " + tracker.label() + " tracker's (which needs "
                                + String.join(", ", own)
                                + "): give this file as the " + other.label() + " tracker, and the "
                                + tracker.label() + " tracker as the " + tracker.label() + " one"));
            }
        }
        return Optional.empty();
    }

    /** The canonical names of every required column of {@code tracker}, as a header row would hold them. */
    private static List<String> headerOf(Tracker tracker) {
        return tracker.columns().stream()
                .filter(Tracker.ColumnSpec::required)
                .map(Tracker.ColumnSpec::name)
                .toList();
    }

    private static SheetFormatException missingColumns(String name, Tracker tracker, List<List<String>> rows) {
        int best = -1;
        int bestCount = 0;
        for (int r = 0; r < rows.size(); r++) {
            int[] found = match(tracker, rows.get(r));
            int count = (int) tracker.columns().stream()
                    .filter(spec -> spec.required() && found[spec.column().ordinal()] >= 0)
                    .count();
            if (count > bestCount) {
                best = r;
                bestCount = count;
            }
        }
        String required = tracker.columns().stream()
                .filter(Tracker.ColumnSpec::required)
                .map(Tracker.ColumnSpec::name)
                .collect(Collectors.joining(", "));
        if (best < 0) {
            String firstRow = rows.stream()
                    .map(cells -> cells.stream()
                            .map(String::trim)
                            .filter(c -> !c.isEmpty())
                            .toList())
                    .filter(cells -> !cells.isEmpty())
                    .findFirst()
                    .map(cells -> "; the first non-empty row holds " + String.join(", ", cells))
                    .orElse(
                            rows.size() < HEADER_SEARCH_ROWS
                                    ? "; the file has no non-empty row"
                                    : "; the first " + HEADER_SEARCH_ROWS + " rows are all empty");
            return new SheetFormatException(
                    name,
                    0,
                    name + ": no header row within the first " + HEADER_SEARCH_ROWS + " rows: missing columns "
                            + required + firstRow);
        }
        List<String> cells = rows.get(best);
        String foundColumns =
                cells.stream().map(String::trim).filter(c -> !c.isEmpty()).collect(Collectors.joining(", "));
        String missingColumns = String.join(", ", missing(tracker, match(tracker, cells)));
        return new SheetFormatException(
                name,
                best + 1,
                name + " row " + (best + 1)
                        + ": the header is missing required column(s) "
                        + missingColumns + "; columns found: " + foundColumns);
    }
}
