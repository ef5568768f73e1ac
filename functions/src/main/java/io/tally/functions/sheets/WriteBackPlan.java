package io.tally.functions.sheets;

import io.tally.core.Report;
import io.tally.core.ReportColumn;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /**
     * A link to a row of another of Tally's tabs, by that row's key, made a {@link Link} by {@link #resolve} once the
     * new tabs' ids are known.
     */
    record TabLink(String text, ReportTab tab, List<String> key) {}

    /** What the Findings tab says of one key: its short reason, and the key of its first findings row. */
    record Flag(String reason, List<String> firstRow) {}

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
    /** Each flagged key's reason and first findings row, by (date, officer). */
    private Map<List<String>, Flag> flags = Map.of();

    private WriteBackPlan() {}

    /**
     * Each flagged key's short reason, from its rows of {@code findings.csv} (in check order): what failed and by
     * how much, a likely typo of the officer, and the rejected rows that would have changed it.
     */
    static Map<List<String>, Flag> flags(List<Object[]> findings) {
        Report f = Report.FINDINGS;
        int date = f.indexOf("date");
        int officer = f.indexOf("officer");
        int check = f.indexOf("check");
        int difference = f.indexOf("difference");
        int allowed = f.indexOf("allowed");
        int excess = f.indexOf("excess");
        int rejected = f.indexOf("rejected_rows");
        int match = f.indexOf("possible_match");
        Map<List<String>, List<Object[]>> byKey = new LinkedHashMap<>();
        for (Object[] row : findings) {
            byKey.computeIfAbsent(
                            List.of(TabContent.text(row[date]), TabContent.text(row[officer])), k -> new ArrayList<>())
                    .add(row);
        }
        Map<List<String>, Flag> out = new HashMap<>();
        byKey.forEach((key, rows) -> {
            List<String> parts = new ArrayList<>();
            for (Object[] row : rows) {
                String c = TabContent.text(row[check]);
                String diff = plain(row[difference]);
                switch (c) {
                    case "MISSING_INVENTORY" -> parts.add("no inventory rows");
                    case "MISSING_PURCHASE" -> parts.add("no purchase rows");
                    case "BIRDS" -> parts.add("birds differ by " + diff);
                    default ->
                        parts.add(c.toLowerCase(Locale.ROOT) + " differs by " + diff + " kg, " + plain(row[excess])
                                + " over the " + plain(row[allowed]) + " allowed");
                }
            }
            Object[] first = rows.get(0);
            String typo = TabContent.text(first[match]);
            if (!typo.isEmpty()) {
                parts.add("possible match: " + typo);
            }
            long n = first[rejected] instanceof BigDecimal d ? d.longValue() : 0;
            if (n > 0) {
                parts.add(n + (n == 1 ? " rejected row" : " rejected rows") + " on this key");
            }
            out.put(
                    key,
                    new Flag(String.join("; ", parts), List.of(key.get(0), key.get(1), TabContent.text(first[check]))));
        });
        return out;
    }

    /** A number as the report wrote it (no exponent, no grouping). */
    private static String plain(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : TabContent.text(v);
    }

    /**
     * Turns the links between tabs into links to rows of the new tabs, now that their ids are known: a key whose
     * findings row is not on the tab (a publish cut to fit) gets no link.
     */
    void resolve(String spreadsheetId, Map<ReportTab, Integer> ids) {
        for (TabRows t : tabs.values()) {
            for (Object[] row : t.rows) {
                for (int c = 0; c < row.length; c++) {
                    if (row[c] instanceof TabLink link) {
                        Integer at = tabs.containsKey(link.tab())
                                ? tabs.get(link.tab()).rowOf.get(link.key())
                                : null;
                        row[c] = at == null
                                ? ""
                                : new Link(
                                        link.text(),
                                        "https://docs.google.com/spreadsheets/d/" + spreadsheetId + "/edit#gid="
                                                + ids.get(link.tab()) + "&range=A" + at);
                    }
                }
            }
        }
    }

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
        Map<List<String>, Flag> flags = flags(reports.get(ReportTab.FINDINGS));
        WriteBackPlan plan = new WriteBackPlan();
        plan.flags = flags;
        for (ReportTab tab : ReportTab.values()) {
            plan.fill(tab, reports.get(tab), before.get(tab), sources, location, false);
        }
        if (fixedCells + plan.cells() > cellLimit) {
            plan = new WriteBackPlan();
            plan.flags = flags;
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
        int rejectedAt = tab.report.indexOf("rejected_at");
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
                row[header.size()] =
                        sourceLink(sources, (String) cells[tracker], TabContent.text(cells[rowCol]), "open row ");
            } else if (tab == ReportTab.FINDINGS) {
                String[] first =
                        TabContent.text(cells[rejectedAt]).split(" ")[0].split(":");
                row[header.size()] =
                        first.length == 2 ? sourceLink(sources, first[0], first[1], "open " + first[0] + " row ") : "";
            } else if (tab == ReportTab.DISCREPANCY) {
                Flag flag = flags.get(List.of(TabContent.text(cells[0]), TabContent.text(cells[1])));
                row[header.size()] = flag == null ? "" : flag.reason();
                row[header.size() + 1] =
                        flag == null ? "" : new TabLink("see findings", ReportTab.FINDINGS, flag.firstRow());
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

    /** A link to a row of a tracker's source sheet, when the tracker was exported from one. */
    private static Object sourceLink(
            Map<String, RunReports.SourceSheet> sources, String tracker, String sheetRow, String text) {
        RunReports.SourceSheet src = sources.get(tracker);
        return src == null
                ? ""
                : new Link(
                        text + sheetRow,
                        "https://docs.google.com/spreadsheets/d/" + src.spreadsheetId() + "/edit#gid=" + src.sheetId()
                                + "&range=A" + sheetRow);
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
