package io.tally.functions.sheets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one of Tally's tabs holds now, read as typed ({@code FORMULA}): each row's key, its cells by header, and
 * the analysts' notes. Headers are found in the first ten rows and matched as {@link ReportTab#normal} says, so a
 * retyped header still reads. A tab whose header cannot be found is {@linkplain #readable() unreadable}: Tally
 * keeps it rather than replace it.
 */
final class TabContent {
    /** One row's notes, as typed (a formula stays a formula), in the tab's note-column order. */
    record Notes(List<Object> values) {
        static Notes empty(int n) {
            List<Object> v = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                v.add("");
            }
            return new Notes(v);
        }

        boolean isEmpty() {
            return values.stream().allMatch(v -> v == null || v.toString().isBlank());
        }

        boolean sameAs(Notes other) {
            if (other == null || other.values.size() != values.size()) {
                return false;
            }
            for (int i = 0; i < values.size(); i++) {
                if (!text(values.get(i)).equals(text(other.values.get(i)))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A row kept for its note alone: its last cells (by normalized header), its note, and why it was kept. */
    record Carried(Map<String, Object> cells, Notes notes, String why) {}

    private final ReportTab tab;
    private final boolean readable;
    private final boolean empty;
    private final Map<List<String>, Map<String, Object>> rows = new HashMap<>();
    private final Map<List<String>, Notes> notes = new LinkedHashMap<>();
    private final Map<List<String>, Integer> rowIndex = new HashMap<>();
    private final List<Carried> extra = new ArrayList<>();
    private final List<Integer> noteAt = new ArrayList<>();
    private final List<Integer> keyAt = new ArrayList<>();

    private TabContent(ReportTab tab, boolean readable, boolean empty) {
        this.tab = tab;
        this.readable = readable;
        this.empty = empty;
    }

    static TabContent none(ReportTab tab) {
        return new TabContent(tab, true, true);
    }

    /** Parses the rows of {@code tab} as read, row 1 first. */
    static TabContent parse(ReportTab tab, List<List<Object>> cells) {
        boolean empty = cells.stream().allMatch(r -> r.stream().allMatch(c -> c == null || text(c).isBlank()));
        int headerAt = -1;
        Map<String, Integer> columns = new HashMap<>();
        for (int r = 0; r < Math.min(10, cells.size()) && headerAt < 0; r++) {
            Map<String, Integer> found = new HashMap<>();
            List<Object> row = cells.get(r);
            for (int c = 0; c < row.size(); c++) {
                found.putIfAbsent(ReportTab.normal(text(row.get(c))), c);
            }
            if (tab.keyColumns.stream().allMatch(k -> found.containsKey(ReportTab.normal(k)))) {
                headerAt = r;
                columns = found;
            }
        }
        if (headerAt < 0) {
            return new TabContent(tab, empty, empty);
        }
        TabContent t = new TabContent(tab, true, empty);
        for (String n : tab.noteColumns) {
            t.noteAt.add(columns.getOrDefault(ReportTab.normal(n), -1));
        }
        for (String k : tab.keyColumns) {
            t.keyAt.add(columns.get(ReportTab.normal(k)));
        }
        Map<List<String>, Integer> seen = new HashMap<>();
        for (int r = headerAt + 1; r < cells.size(); r++) {
            List<Object> row = cells.get(r);
            if (row.isEmpty()) {
                continue;
            }
            Map<String, Object> byName = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : columns.entrySet()) {
                byName.put(e.getKey(), e.getValue() < row.size() ? row.get(e.getValue()) : "");
            }
            List<Object> nv = new ArrayList<>();
            for (String n : tab.noteColumns) {
                Integer c = columns.get(ReportTab.normal(n));
                nv.add(c == null || c >= row.size() || row.get(c) == null ? "" : row.get(c));
            }
            Notes note = new Notes(nv);
            List<String> base = new ArrayList<>();
            boolean blank = true;
            for (String k : tab.keyColumns) {
                String v = text(byName.get(ReportTab.normal(k)));
                base.add(v);
                blank &= v.isBlank();
            }
            if (blank) {
                if (!note.isEmpty()) {
                    t.extra.add(new Carried(byName, note, ""));
                }
                continue;
            }
            int occurrence = tab == ReportTab.REJECTED ? seen.merge(base, 1, Integer::sum) : 1;
            List<String> key = key(tab, base, occurrence);
            if (!t.rows.containsKey(key)) {
                t.rows.put(key, byName);
                t.rowIndex.put(key, r);
                if (!note.isEmpty()) {
                    t.notes.put(key, note);
                }
            } else if (!note.isEmpty()) {
                // A copied row: the first note stays on the key, any other is kept on a row of its own.
                Notes first = t.notes.get(key);
                if (first == null) {
                    t.notes.put(key, note);
                } else if (!first.sameAs(note)) {
                    t.extra.add(new Carried(byName, note, WriteBackPlan.DUPLICATE));
                }
            }
        }
        return t;
    }

    /** A row's key: its key columns' text, and for rejected rows which copy of the same text it is. */
    static List<String> key(ReportTab tab, List<String> base, int occurrence) {
        if (tab != ReportTab.REJECTED) {
            return List.copyOf(base);
        }
        List<String> k = new ArrayList<>(base);
        k.add(Integer.toString(occurrence));
        return List.copyOf(k);
    }

    ReportTab tab() {
        return tab;
    }

    /** Whether Tally found its header: a tab it cannot read is kept, never replaced. */
    boolean readable() {
        return readable;
    }

    /** Whether the tab holds no cell at all. */
    boolean empty() {
        return empty;
    }

    Map<List<String>, Map<String, Object>> rows() {
        return rows;
    }

    Map<List<String>, Notes> notes() {
        return notes;
    }

    List<Carried> extra() {
        return extra;
    }

    /** The 0-based row each key was read on. */
    Map<List<String>, Integer> rowIndex() {
        return rowIndex;
    }

    /** The 0-based columns a row's key and notes are in: what a second read needs. */
    List<Integer> keyAndNoteColumns() {
        List<Integer> out = new ArrayList<>(keyAt);
        noteAt.stream().filter(c -> c >= 0).forEach(out::add);
        return out;
    }

    /** The 0-based column of each note column, or -1 where the tab has none. */
    List<Integer> noteAt() {
        return noteAt;
    }

    static String text(Object o) {
        return Objects.toString(o, "");
    }
}
