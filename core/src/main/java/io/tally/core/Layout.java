package io.tally.core;

import io.tally.core.internal.Bytes;
import io.tally.core.internal.RecordFormatException;
import io.tally.core.internal.RecordScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
        try (InputStream in = source.open(0, Math.min(size, 1 << 20))) {
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

    private static boolean next(RecordScanner scanner, ByteSource source, int row) {
        try {
            return scanner.next();
        } catch (RecordFormatException e) {
            throw new SheetFormatException(
                    source.name(),
                    row,
                    source.name() + " row " + row + ": " + e.kind().sentence());
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
