package io.tally.functions.sheets;

import io.tally.core.ReportColumn;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a publish writes, computed from the reports and what the tabs hold now, with no call to Sheets: each tab's
 * rows (Tally's cells, then the analysts' notes carried by key), what changed, and whether it all fits. This is
 * what {@code --dry-run} prints; {@link SheetsWriteBack} applies it.
 */
final class WriteBackPlan {
    static final String NO_LONGER_PRESENT = "NO LONGER PRESENT";
    /** The mark of a second note on the same key (a copied row): kept on a row of its own. */
    static final String DUPLICATE = "DUPLICATE ROW";
    /** The most characters Sheets holds in one cell. */
    static final int CELL_CHARACTERS = 50_000;

    /** A cell that links somewhere (the source row of a rejected row). */
    record Link(String text, String url) {}

    /** One tab's new content: its header row, its rows, and the row (1-based) each key landed on. */
    static final class TabRows {
        final ReportTab tab;
        final List<String> header = new ArrayList<>();
        /** Tally's cells: the report's own, then {@link ReportTab#extraColumns}. */
        final int tallyColumns;

        final List<Object[]> rows = new ArrayList<>();
        final Map<List<String>, Integer> rowOf = new HashMap<>();

        TabRows(ReportTab tab, List<String> reportHeader) {
            this.tab = tab;
            header.addAll(reportHeader);
            header.addAll(tab.extraColumns);
            tallyColumns = header.size();
            header.addAll(tab.noteColumns);
        }

        int width() {
            return header.size();
        }

        /** Rows of the grid: the header rows, the data, and one more when there is no data, so a row is free. */
        int gridRows() {
            return tab.headerRows + Math.max(1, rows.size());
        }

        long cells() {
            return (long) gridRows() * width();
        }

        void add(List<String> key, Object[] row) {
            if (key != null) {
                rowOf.put(key, tab.headerRows + rows.size() + 1);
            }
            rows.add(row);
        }
    }

    final Map<ReportTab, TabRows> tabs = new EnumMap<>(ReportTab.class);
    long keys;
    long added;
    long removed;
    long changed;
    long notesKept;
    long notesOnVanishedKeys;
    long cutCells;
    boolean truncated;

    private WriteBackPlan() {}

    /**
     * @param reports     each tab's report, read as CSV records (header first)
     * @param before      what each tab holds now
     * @param fixedCells  cells of the grids that stay during the publish: other tabs, and Tally's old tabs
     * @param location    where the full reports are, for cells cut to fit
     */
    static WriteBackPlan of(
            Map<ReportTab, List<Object[]>> reports,
            Map<ReportTab, TabContent> before,
            Map<String, RunReports.SourceSheet> sources,
            long fixedCells,
            long cellLimit,
            String location) {
        WriteBackPlan plan = new WriteBackPlan();
        for (ReportTab tab : ReportTab.values()) {
            plan.fill(tab, reports.get(tab), before.get(tab), sources, location, false);
        }
        if (fixedCells + plan.cells() > cellLimit) {
            plan = new WriteBackPlan();
            plan.truncated = true;
            for (ReportTab tab : ReportTab.values()) {
                plan.fill(tab, reports.get(tab), before.get(tab), sources, location, tab == ReportTab.DISCREPANCY);
            }
        }
        return plan;
    }

    long cells() {
        return tabs.values().stream().mapToLong(TabRows::cells).sum();
    }

    private void fill(
            ReportTab tab,
            List<Object[]> rows,
            TabContent was,
            Map<String, RunReports.SourceSheet> sources,
            String location,
            boolean onlyNotOk) {
        List<String> header =
                tab.report.columns().stream().map(ReportColumn::name).toList();
        TabRows out = new TabRows(tab, header);
        tabs.put(tab, out);
        int[] keyAt = tab.keyColumns.stream().mapToInt(tab.report::indexOf).toArray();
        int status = tab.report.indexOf("status");
        int tracker = tab.report.indexOf("tracker");
        int rowCol = tab.report.indexOf("row");
        Set<List<String>> seen = new HashSet<>();
        Map<List<String>, Integer> copies = new HashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            Object[] cells = rows.get(r);
            Object[] row = new Object[out.width()];
            for (int c = 0; c < header.size(); c++) {
                Object v = sheetValue(cells[c]);
                if (v instanceof String s && s.length() > CELL_CHARACTERS) {
                    v = cut(s, location + "/" + tab.report.fileName() + ", record " + (r + 2));
                    cutCells++;
                }
                row[c] = v;
            }
            if (tab == ReportTab.REJECTED) {
                RunReports.SourceSheet src = sources.get((String) cells[tracker]);
                String sheetRow = TabContent.text(cells[rowCol]);
                row[header.size()] = src == null
                        ? ""
                        : new Link(
                                "open row " + sheetRow,
                                "https://docs.google.com/spreadsheets/d/" + src.spreadsheetId() + "/edit#gid="
                                        + src.sheetId() + "&range=A" + sheetRow);
            }
            List<String> base = new ArrayList<>();
            for (int k : keyAt) {
                base.add(TabContent.text(row[k]));
            }
            int occurrence = tab == ReportTab.REJECTED ? copies.merge(base, 1, Integer::sum) : 1;
            List<String> key = TabContent.key(tab, base, occurrence);
            seen.add(key);
            TabContent.Notes note = was.notes().get(key);
            keys += tab == ReportTab.DISCREPANCY ? 1 : 0;
            if (onlyNotOk && "OK".equals(cells[status]) && note == null) {
                continue;
            }
            if (tab == ReportTab.DISCREPANCY) {
                Map<String, Object> then = was.rows().get(key);
                if (then == null) {
                    added++;
                } else if (!same(header, row, then)) {
                    changed++;
                }
            }
            if (note != null) {
                notesKept++;
            }
            putNotes(out, row, note);
            out.add(key, row);
        }
        if (tab == ReportTab.DISCREPANCY) {
            removed =
                    was.rows().keySet().stream().filter(k -> !seen.contains(k)).count();
        }
        for (Map.Entry<List<String>, TabContent.Notes> e : was.notes().entrySet()) {
            if (!seen.contains(e.getKey())) {
                notesOnVanishedKeys += tab == ReportTab.DISCREPANCY ? 1 : 0;
                notesKept++;
                out.add(e.getKey(), carried(out, was.rows().get(e.getKey()), e.getValue(), NO_LONGER_PRESENT));
            }
        }
        for (TabContent.Carried c : was.extra()) {
            notesKept++;
            out.add(null, carried(out, c.cells(), c.notes(), c.why()));
        }
    }

    private static void putNotes(TabRows out, Object[] row, TabContent.Notes note) {
        for (int n = 0; n < out.tab.noteColumns.size(); n++) {
            row[out.tallyColumns + n] = note == null ? "" : note.values().get(n);
        }
    }

    /** A row kept for its note: its last known cells, the marker where the tab keeps it. */
    private static Object[] carried(TabRows out, Map<String, Object> cells, TabContent.Notes note, String why) {
        Object[] row = new Object[out.width()];
        for (int c = 0; c < out.tallyColumns; c++) {
            String name = out.header.get(c);
            Object v = cells == null ? "" : cells.getOrDefault(ReportTab.normal(name), "");
            if (!why.isEmpty() && name.equals(out.tab.markerColumn)) {
                String old = TabContent.text(v);
                v = out.tab == ReportTab.REJECTED && !old.isEmpty() && !old.startsWith(why) ? why + ": " + old : why;
            }
            row[c] = v == null ? "" : v;
        }
        putNotes(out, row, note);
        return row;
    }

    /** Whether a key's cells are unchanged; numbers compare by value, whatever the tab's number format shows. */
    private static boolean same(List<String> header, Object[] row, Map<String, Object> was) {
        for (int c = 0; c < header.size(); c++) {
            String now = TabContent.text(row[c]);
            String then = TabContent.text(was.get(ReportTab.normal(header.get(c))));
            if (!now.equals(then) && !sameNumber(now, then)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameNumber(String a, String b) {
        try {
            return !a.isEmpty()
                    && !b.isEmpty()
                    && new BigDecimal(a.replace(",", "")).compareTo(new BigDecimal(b.replace(",", ""))) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A cell cut to what Sheets holds, ending in a visible marker that says where the whole text is. The cut
     * never splits a character.
     */
    static String cut(String text, String where) {
        String marker = " … [cut: " + text.codePointCount(0, text.length()) + " characters in all; the whole text is "
                + "in " + where + "]";
        int keep = Math.max(0, CELL_CHARACTERS - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return text.substring(0, keep) + marker;
    }

    /**
     * A report's typed cell as the sheet gets it: a number as a number (so analysts can sort and sum it) when a
     * double holds it exactly enough for a sheet (15 significant digits), as text otherwise; text as text.
     */
    static Object sheetValue(Object cell) {
        if (cell instanceof BigDecimal d) {
            return d.precision() <= 15 ? (Object) d.doubleValue() : d.toPlainString();
        }
        return cell;
    }
}
