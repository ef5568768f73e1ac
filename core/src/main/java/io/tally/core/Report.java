package io.tally.core;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * Tally's CSV reports and their columns, in DATA.md's order: the one list behind the renderer's headers and the
 * typed cells a reader of the reports gets back.
 */
public enum Report {
    DISCREPANCIES(
            "discrepancies.csv",
            Columns.join(
                    List.of(new ReportColumn("date", ReportColumn.Kind.DATE), ReportColumn.text("officer")),
                    Columns.MEASURES,
                    List.of(ReportColumn.text("status")))),
    REJECTED(
            "rejected_rows.csv",
            List.of(
                    ReportColumn.text("tracker"),
                    ReportColumn.text("source"),
                    ReportColumn.count("row"),
                    ReportColumn.text("reason"),
                    ReportColumn.text("raw"))),
    OFFICERS(
            "officers.csv",
            Columns.join(
                    List.of(ReportColumn.text("officer"), ReportColumn.count("days")),
                    Columns.MEASURES,
                    List.of(
                            ReportColumn.count("ok"),
                            ReportColumn.count("discrepancy"),
                            ReportColumn.count("missing_inventory"),
                            ReportColumn.count("missing_purchase")))),
    FINDINGS(
            "findings.csv",
            List.of(
                    new ReportColumn("date", ReportColumn.Kind.DATE),
                    ReportColumn.text("officer"),
                    ReportColumn.text("status"),
                    ReportColumn.text("check"),
                    new ReportColumn("purchase", ReportColumn.Kind.AMOUNT),
                    new ReportColumn("inventory", ReportColumn.Kind.AMOUNT),
                    new ReportColumn("difference", ReportColumn.Kind.AMOUNT),
                    new ReportColumn("allowed", ReportColumn.Kind.AMOUNT),
                    new ReportColumn("excess", ReportColumn.Kind.AMOUNT),
                    ReportColumn.count("rejected_rows"),
                    ReportColumn.text("rejected_at"),
                    ReportColumn.text("possible_match"))),
    INVOICES(
            "invoices.csv",
            List.of(
                    new ReportColumn("date", ReportColumn.Kind.DATE),
                    ReportColumn.text("officer"),
                    ReportColumn.text("invoice"),
                    ReportColumn.count("purchase_rows"),
                    ReportColumn.count("purchase_birds"),
                    ReportColumn.kg("purchase_chicken_kg"),
                    ReportColumn.kg("purchase_gizzard_kg"),
                    ReportColumn.count("inventory_rows"),
                    ReportColumn.count("inventory_birds"),
                    ReportColumn.kg("inventory_chicken_kg"),
                    ReportColumn.kg("inventory_gizzard_kg"),
                    ReportColumn.count("bird_diff"),
                    ReportColumn.kg("chicken_diff_kg"),
                    ReportColumn.text("status")));

    /** Column lists shared by several reports (a holder, so the constants above can use them). */
    private static final class Columns {
        /** The eleven measure columns, purchase_birds to purchase_invoices, of discrepancies.csv and officers.csv. */
        static final List<ReportColumn> MEASURES = List.of(
                ReportColumn.count("purchase_birds"),
                ReportColumn.count("inventory_birds"),
                ReportColumn.count("bird_diff"),
                ReportColumn.kg("purchase_chicken_kg"),
                ReportColumn.kg("inventory_chicken_kg"),
                ReportColumn.kg("chicken_diff_kg"),
                new ReportColumn("chicken_diff_pct", ReportColumn.Kind.PERCENT),
                ReportColumn.kg("purchase_gizzard_kg"),
                ReportColumn.kg("inventory_gizzard_kg"),
                ReportColumn.kg("gizzard_diff_kg"),
                ReportColumn.count("purchase_invoices"));

        @SafeVarargs
        static List<ReportColumn> join(List<ReportColumn>... parts) {
            List<ReportColumn> all = new ArrayList<>();
            for (List<ReportColumn> p : parts) {
                all.addAll(p);
            }
            return List.copyOf(all);
        }
    }

    private final String fileName;
    private final List<ReportColumn> columns;
    private final String header;

    Report(String fileName, List<ReportColumn> columns) {
        this.fileName = fileName;
        this.columns = columns;
        this.header = columns.stream().map(ReportColumn::name).collect(Collectors.joining(","));
    }

    public String fileName() {
        return fileName;
    }

    public List<ReportColumn> columns() {
        return columns;
    }

    /** The header line, without its {@code \n}. */
    public String header() {
        return header;
    }

    /** The column's position, or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The report's data rows, read back from its CSV text, each cell typed by its column ({@link
     * ReportColumn#value}). The header must be this report's: a report of another shape is refused, not guessed at.
     * Rows are read one at a time; the caller closes the stream.
     *
     * @throws IllegalArgumentException if the header is not this report's, or a row is not as wide as the header
     */
    public Iterator<Object[]> rows(InputStream in) {
        Iterator<List<String>> records = CsvText.records(in);
        if (!records.hasNext()) {
            throw new IllegalArgumentException(fileName + " is empty: it has no header");
        }
        List<String> head = records.next();
        if (!String.join(",", head).equals(header)) {
            throw new IllegalArgumentException(
                    fileName + " has the header '" + String.join(",", head) + "', not '" + header + "'");
        }
        return new Iterator<>() {
            private long record = 1;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Object[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<String> cells = records.next();
                record++;
                if (cells.size() != columns.size()) {
                    throw new IllegalArgumentException(
                            fileName + " record " + record + " has " + cells.size() + " cells, not " + columns.size());
                }
                Object[] row = new Object[cells.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = columns.get(c).value(cells.get(c));
                }
                return row;
            }
        };
    }

    /** Every data row, for a report small enough to hold. */
    public List<Object[]> readAll(InputStream in) {
        List<Object[]> out = new ArrayList<>();
        rows(in).forEachRemaining(out::add);
        return out;
    }
}
