package io.tally.functions.sheets;

import io.tally.sheets.SheetsException;
import io.tally.sheets.SheetsClient;
import io.tally.sheets.A1;
import com.google.api.services.sheets.v4.model.AddConditionalFormatRuleRequest;
import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.BooleanCondition;
import com.google.api.services.sheets.v4.model.BooleanRule;
import com.google.api.services.sheets.v4.model.CellData;
import com.google.api.services.sheets.v4.model.CellFormat;
import com.google.api.services.sheets.v4.model.Color;
import com.google.api.services.sheets.v4.model.ConditionValue;
import com.google.api.services.sheets.v4.model.ConditionalFormatRule;
import com.google.api.services.sheets.v4.model.DataValidationRule;
import com.google.api.services.sheets.v4.model.DeleteSheetRequest;
import com.google.api.services.sheets.v4.model.ExtendedValue;
import com.google.api.services.sheets.v4.model.GridCoordinate;
import com.google.api.services.sheets.v4.model.GridProperties;
import com.google.api.services.sheets.v4.model.GridRange;
import com.google.api.services.sheets.v4.model.Link;
import com.google.api.services.sheets.v4.model.NumberFormat;
import com.google.api.services.sheets.v4.model.RepeatCellRequest;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.RowData;
import com.google.api.services.sheets.v4.model.SetDataValidationRequest;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.TextFormat;
import com.google.api.services.sheets.v4.model.UpdateCellsRequest;
import com.google.api.services.sheets.v4.model.UpdateSheetPropertiesRequest;
import com.google.api.services.sheets.v4.model.ValueRange;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Writes a run's reports into the report spreadsheet: "Discrepancy Report" (the discrepancies plus COMMENTS and
 * RESOLUTION STATUS), "Officer Summary" and "Rejected Rows". The analysts' notes are the most valuable cells:
 * <ul>
 *   <li>they are read from the tab's own cells and carried over by (date, officer) key, wherever the analyst
 *       sorted the row to;</li>
 *   <li>a key that is gone but carries a note keeps its row and note, marked {@value #NO_LONGER_PRESENT}; a row
 *       an analyst typed with a note and no key is kept as it is;</li>
 *   <li>new content goes to fresh tabs; notes typed meanwhile are read again and copied; then one batchUpdate
 *       deletes the old tabs and renames the new ones, so a failure at any earlier point leaves the old tabs and
 *       every note as they were (and the next publish removes the half-written tabs).</li>
 * </ul>
 * Cells are written as typed (RAW): no cell is ever run as a formula.
 */
public final class SheetsPublisher {
    public static final String DISCREPANCY_TAB = "Discrepancy Report";
    public static final String OFFICER_TAB = "Officer Summary";
    public static final String REJECTED_TAB = "Rejected Rows";
    public static final String COMMENTS = "COMMENTS";
    public static final String RESOLUTION = "RESOLUTION STATUS";
    public static final List<String> RESOLUTIONS = List.of("OPEN", "INVESTIGATING", "RESOLVED", "WONT_FIX");
    public static final String NO_LONGER_PRESENT = "NO LONGER PRESENT";
    /** The largest spreadsheet Google allows, in cells over every tab's grid. */
    public static final long CELL_LIMIT = 10_000_000;
    static final String UPDATING = " (updating)";
    /** Row 1 is the "Last refreshed" line; the header is row 2. */
    static final int HEADER_ROWS = 2;

    /** What a publish changed, or would change in a dry run. */
    public record Plan(String runId, long keys, long rowsWritten, long added, long removed, long changed,
            long notesKept, long notesOnVanishedKeys, boolean truncated, boolean written) {
        public String describe() {
            return String.format(Locale.ROOT, "run %s: %,d keys; %,d added, %,d removed, %,d changed; %,d notes kept"
                    + " (%,d on keys no longer present)%s", runId, keys, added, removed, changed, notesKept,
                    notesOnVanishedKeys, truncated ? "; only the keys that are not OK fit in the spreadsheet" : "");
        }
    }

    private record Key(String date, String officer) {}

    private record Note(String comments, String resolution, Map<String, String> cells) {
        boolean isEmpty() {
            return comments.isBlank() && resolution.isBlank();
        }
    }

    /** What the existing Discrepancy Report tab holds: its keys' data cells, and every note. */
    private record Existing(Map<Key, Map<String, String>> rows, Map<Key, Note> notes, List<Note> unkeyed) {
        static final Existing NONE = new Existing(Map.of(), Map.of(), List.of());
    }

    private final SheetsClient client;
    private final long cellLimit;
    private final int rowsPerWrite;
    private final BiConsumer<String, Map<String, Object>> log;

    public SheetsPublisher(SheetsClient client, long cellLimit, int rowsPerWrite,
            BiConsumer<String, Map<String, Object>> log) {
        this.client = client;
        this.cellLimit = cellLimit;
        this.rowsPerWrite = rowsPerWrite;
        this.log = log;
    }

    public Plan publish(String spreadsheetId, RunReports reports, boolean dryRun) throws IOException {
        List<SheetsClient.SheetInfo> tabs = client.sheets(spreadsheetId);
        SheetsClient.SheetInfo oldDisc = tab(tabs, DISCREPANCY_TAB);
        Existing before = oldDisc == null ? Existing.NONE : readExisting(oldDisc);

        List<List<String>> disc = read(reports, "discrepancies.csv");
        List<List<String>> officers = read(reports, "officers.csv");
        List<List<String>> rejected = read(reports, "rejected_rows.csv");
        List<String> header = disc.get(0);
        int statusCol = header.indexOf("status");
        int dateCol = header.indexOf("date");
        int officerCol = header.indexOf("officer");

        // What fits: every tab's grid counts, and the old tabs stay until the swap.
        long others = tabs.stream().filter(t -> !isOurs(t.title())).mapToLong(t -> (long) t.rows() * t.columns()).sum();
        long old = tabs.stream().filter(t -> isOurs(t.title()) && !t.title().endsWith(UPDATING))
                .mapToLong(t -> (long) t.rows() * t.columns()).sum();
        int discColumns = header.size() + 2;
        long carried = before.notes().keySet().stream().filter(k -> true).count() + before.unkeyed().size();
        long officerCells = (long) (officers.size() + 1) * officers.get(0).size();
        long rejectedCells = (long) (rejected.size() + 1) * (rejected.get(0).size() + 1);
        long fullDisc = (long) (HEADER_ROWS + disc.size() - 1 + carried) * discColumns;
        boolean truncated = others + old + fullDisc + officerCells + rejectedCells > cellLimit;

        List<List<Object>> rows = new ArrayList<>();
        Map<Key, Integer> rowOf = new HashMap<>();
        Set<Key> seen = new HashSet<>();
        long added = 0;
        long changed = 0;
        long notesKept = 0;
        long keys = disc.size() - 1;
        for (int r = 1; r < disc.size(); r++) {
            List<String> cells = disc.get(r);
            Key key = new Key(cells.get(dateCol), ReportCsv.unescape(cells.get(officerCol)));
            seen.add(key);
            Note note = before.notes().get(key);
            if (truncated && "OK".equals(cells.get(statusCol)) && note == null) {
                continue;
            }
            Map<String, String> was = before.rows().get(key);
            if (was == null) {
                added++;
            } else if (!sameData(header, cells, was)) {
                changed++;
            }
            if (note != null) {
                notesKept++;
            }
            rowOf.put(key, HEADER_ROWS + rows.size() + 1);
            rows.add(dataRow(header, cells, note));
        }
        long removed = before.rows().keySet().stream().filter(k -> !seen.contains(k)).count();
        long onVanished = 0;
        for (Map.Entry<Key, Note> e : before.notes().entrySet()) {
            if (!seen.contains(e.getKey())) {
                onVanished++;
                rowOf.put(e.getKey(), HEADER_ROWS + rows.size() + 1);
                rows.add(carriedRow(header, e.getValue(), statusCol));
            }
        }
        for (Note n : before.unkeyed()) {
            rows.add(carriedRow(header, n, -1));
        }
        notesKept += onVanished + before.unkeyed().size();
        long discCells = (long) (HEADER_ROWS + rows.size()) * discColumns;
        if (others + old + discCells + officerCells + rejectedCells > cellLimit) {
            throw new SheetsException("spreadsheet " + spreadsheetId + " cannot hold the reports of run "
                    + reports.runId() + " even without the keys that are OK (" + (others + old + discCells
                    + officerCells + rejectedCells) + " cells, the limit is " + cellLimit + "); give Tally a report "
                    + "spreadsheet of its own", 400, null);
        }
        Plan plan = new Plan(reports.runId(), keys, rows.size(), added, removed, changed, notesKept, onVanished,
                truncated, !dryRun);
        if (dryRun) {
            return plan;
        }

        // 1. Fresh tabs (and away with any a failed publish left).
        List<Request> create = new ArrayList<>();
        for (SheetsClient.SheetInfo t : tabs) {
            if (t.title().endsWith(UPDATING) && isOurs(t.title())) {
                create.add(new Request().setDeleteSheet(new DeleteSheetRequest().setSheetId(t.sheetId())));
            }
        }
        int discRows = HEADER_ROWS + rows.size();
        create.add(addSheet(DISCREPANCY_TAB + UPDATING, discRows, discColumns));
        create.add(addSheet(OFFICER_TAB + UPDATING, officers.size(), officers.get(0).size()));
        create.add(addSheet(REJECTED_TAB + UPDATING, rejected.size(), rejected.get(0).size() + 1));
        var replies = client.update(spreadsheetId, "(new tabs)", create).getReplies();
        int n = replies.size();
        int discId = replies.get(n - 3).getAddSheet().getProperties().getSheetId();
        int officerId = replies.get(n - 2).getAddSheet().getProperties().getSheetId();
        int rejectedId = replies.get(n - 1).getAddSheet().getProperties().getSheetId();

        // 2. Their content, as typed.
        String refreshed = "Last refreshed " + reports.finishedAt() + " from run " + reports.runId()
                + (truncated ? "; showing only the keys that are not OK (and any with a note), since the full "
                        + "report would not fit in this spreadsheet; the full report: " + reports.location()
                        + "/discrepancies.csv" : "");
        List<List<Object>> top = new ArrayList<>();
        top.add(List.of(refreshed));
        List<Object> head = new ArrayList<>(header);
        head.add(COMMENTS);
        head.add(RESOLUTION);
        top.add(head);
        write(spreadsheetId, DISCREPANCY_TAB + UPDATING, 1, top);
        write(spreadsheetId, DISCREPANCY_TAB + UPDATING, HEADER_ROWS + 1, rows);
        write(spreadsheetId, OFFICER_TAB + UPDATING, 1, typed(officers, true));
        writeRejected(spreadsheetId, rejectedId, rejected, reports.sources());

        // 3. Notes typed while the new tab was written: read the old tab again, copy what changed.
        if (oldDisc != null) {
            Existing now = readExisting(oldDisc);
            List<ValueRange> late = new ArrayList<>();
            String noteRange = A1.column(header.size() + 1) + "%d:" + A1.column(header.size() + 2) + "%d";
            for (Map.Entry<Key, Note> e : now.notes().entrySet()) {
                Note first = before.notes().get(e.getKey());
                Integer row = rowOf.get(e.getKey());
                if (row != null && (first == null || !first.comments().equals(e.getValue().comments())
                        || !first.resolution().equals(e.getValue().resolution()))) {
                    late.add(new ValueRange().setRange(A1.quote(DISCREPANCY_TAB + UPDATING) + "!"
                            + String.format(Locale.ROOT, noteRange, row, row))
                            .setValues(List.of(List.of(e.getValue().comments(), e.getValue().resolution()))));
                }
            }
            if (!late.isEmpty()) {
                client.writeValues(spreadsheetId, DISCREPANCY_TAB + UPDATING, late);
                log.accept("sheets.notes-caught-up", Map.of("notes", late.size()));
            }
        }

        // 4. One batchUpdate swaps the tabs in and formats them: all of it applies, or none.
        List<Request> swap = new ArrayList<>();
        for (String title : List.of(DISCREPANCY_TAB, OFFICER_TAB, REJECTED_TAB)) {
            SheetsClient.SheetInfo t = tab(tabs, title);
            if (t != null) {
                swap.add(new Request().setDeleteSheet(new DeleteSheetRequest().setSheetId(t.sheetId())));
            }
        }
        swap.add(rename(discId, DISCREPANCY_TAB, 0, HEADER_ROWS));
        swap.add(rename(officerId, OFFICER_TAB, 1, 1));
        swap.add(rename(rejectedId, REJECTED_TAB, 2, 1));
        swap.addAll(discrepancyFormats(discId, header, discRows));
        swap.addAll(numberFormats(officerId, officers.get(0), 1, officers.size()));
        client.update(spreadsheetId, "(swap)", swap);
        log.accept("sheets.published", Map.of("spreadsheet", spreadsheetId, "run", reports.runId(),
                "rows", rows.size(), "notesKept", notesKept, "truncated", truncated));
        return plan;
    }

    // ---- reading the existing tab --------------------------------------------------------------------------

    private Existing readExisting(SheetsClient.SheetInfo tab) {
        List<List<Object>> cells = client.readAll(tab, 20_000);
        int headerAt = -1;
        List<String> header = List.of();
        for (int r = 0; r < Math.min(10, cells.size()) && headerAt < 0; r++) {
            List<String> row = strings(cells.get(r));
            if (row.contains("date") && row.contains("officer")) {
                headerAt = r;
                header = row;
            }
        }
        if (headerAt < 0) {
            return Existing.NONE;
        }
        int date = header.indexOf("date");
        int officer = header.indexOf("officer");
        int comments = header.indexOf(COMMENTS);
        int resolution = header.indexOf(RESOLUTION);
        Map<Key, Map<String, String>> rows = new HashMap<>();
        Map<Key, Note> notes = new LinkedHashMap<>();
        List<Note> unkeyed = new ArrayList<>();
        for (int r = headerAt + 1; r < cells.size(); r++) {
            List<String> row = strings(cells.get(r));
            if (row.isEmpty()) {
                continue;
            }
            Map<String, String> byName = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                byName.put(header.get(c), c < row.size() ? row.get(c) : "");
            }
            Note note = new Note(at(row, comments), at(row, resolution), byName);
            String d = at(row, date);
            String o = at(row, officer);
            if (d.isBlank() && o.isBlank()) {
                if (!note.isEmpty()) {
                    unkeyed.add(note);
                }
                continue;
            }
            Key key = new Key(d, o);
            rows.put(key, byName);
            if (!note.isEmpty()) {
                notes.put(key, note);
            }
        }
        return new Existing(rows, notes, unkeyed);
    }

    private static String at(List<String> row, int c) {
        return c >= 0 && c < row.size() ? row.get(c) : "";
    }

    private static List<String> strings(List<Object> row) {
        List<String> out = new ArrayList<>(row.size());
        for (Object o : row) {
            out.add(o == null ? "" : o.toString());
        }
        return out;
    }

    // ---- building rows ---------------------------------------------------------------------------------------

    private static List<Object> dataRow(List<String> header, List<String> cells, Note note) {
        List<Object> row = new ArrayList<>(header.size() + 2);
        for (int c = 0; c < header.size(); c++) {
            row.add(typed(header.get(c), c < cells.size() ? cells.get(c) : ""));
        }
        row.add(note == null ? "" : note.comments());
        row.add(note == null ? "" : note.resolution());
        return row;
    }

    /** A row kept for its note: its last known cells, marked as no longer present. */
    private static List<Object> carriedRow(List<String> header, Note note, int statusCol) {
        List<Object> row = new ArrayList<>(header.size() + 2);
        for (int c = 0; c < header.size(); c++) {
            String v = Objects.requireNonNullElse(note.cells().get(header.get(c)), "");
            row.add(c == statusCol ? NO_LONGER_PRESENT : v);
        }
        row.add(note.comments());
        row.add(note.resolution());
        return row;
    }

    /** Whether a key's cells are unchanged; numbers compare by value, whatever the tab's number format shows. */
    private static boolean sameData(List<String> header, List<String> cells, Map<String, String> was) {
        for (int c = 0; c < header.size(); c++) {
            String now = ReportCsv.unescape(c < cells.size() ? cells.get(c) : "");
            String then = Objects.requireNonNullElse(was.get(header.get(c)), "");
            if (!now.equals(then) && !sameNumber(now, then)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameNumber(String a, String b) {
        try {
            return !a.isEmpty() && !b.isEmpty()
                    && new BigDecimal(a.replace(",", "")).compareTo(new BigDecimal(b.replace(",", ""))) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Numbers as numbers (so analysts can sort and sum them), everything else as text. */
    private static Object typed(String column, String cell) {
        String v = ReportCsv.unescape(cell);
        if (isNumeric(column) && !v.isEmpty()) {
            try {
                BigDecimal d = new BigDecimal(v);
                if (d.precision() <= 15) {
                    return d.doubleValue();
                }
            } catch (NumberFormatException e) {
                // not a number after all: text
            }
        }
        return v;
    }

    private static List<List<Object>> typed(List<List<String>> csv, boolean withHeader) {
        List<List<Object>> out = new ArrayList<>(csv.size());
        List<String> header = csv.get(0);
        for (int r = withHeader ? 0 : 1; r < csv.size(); r++) {
            List<Object> row = new ArrayList<>();
            for (int c = 0; c < csv.get(r).size(); c++) {
                row.add(r == 0 ? csv.get(r).get(c) : typed(c < header.size() ? header.get(c) : "", csv.get(r).get(c)));
            }
            out.add(row);
        }
        return out;
    }

    private static boolean isNumeric(String column) {
        return column.endsWith("_kg") || column.endsWith("_pct") || column.endsWith("_birds") || column.equals("bird_diff")
                || column.equals("purchase_invoices") || column.equals("days") || column.equals("ok")
                || column.equals("discrepancy") || column.startsWith("missing_");
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    private void write(String spreadsheetId, String tab, int firstRow, List<List<Object>> rows) {
        for (int from = 0; from < rows.size(); from += rowsPerWrite) {
            List<List<Object>> chunk = rows.subList(from, Math.min(rows.size(), from + rowsPerWrite));
            int width = chunk.stream().mapToInt(List::size).max().orElse(1);
            int first = firstRow + from;
            String range = A1.range(tab, first, first + chunk.size() - 1, Math.max(1, width));
            client.writeValues(spreadsheetId, tab, List.of(new ValueRange().setRange(range).setValues(chunk)));
        }
    }

    /** Rejected rows, each with a link to its row in the source sheet when the tracker came from Sheets. */
    private void writeRejected(String spreadsheetId, int sheetId, List<List<String>> rejected,
            Map<String, RunReports.SourceSheet> sources) {
        List<String> header = rejected.get(0);
        int trackerCol = header.indexOf("tracker");
        int rowCol = header.indexOf("row");
        List<RowData> batch = new ArrayList<>();
        int start = 0;
        for (int r = 0; r < rejected.size(); r++) {
            List<String> cells = rejected.get(r);
            List<CellData> row = new ArrayList<>();
            for (int c = 0; c < cells.size(); c++) {
                Object v = r == 0 ? cells.get(c) : typed(c == rowCol ? "row_kg" : "", cells.get(c));
                row.add(cell(v));
            }
            if (r == 0) {
                row.add(cell("link"));
            } else {
                RunReports.SourceSheet src = sources.get(cells.get(trackerCol));
                if (src != null) {
                    String url = "https://docs.google.com/spreadsheets/d/" + src.spreadsheetId() + "/edit#gid="
                            + src.sheetId() + "&range=A" + cells.get(rowCol);
                    row.add(cell("open row " + cells.get(rowCol)).setUserEnteredFormat(new CellFormat()
                            .setTextFormat(new TextFormat().setLink(new Link().setUri(url)))));
                } else {
                    row.add(cell(""));
                }
            }
            batch.add(new RowData().setValues(row));
            if (batch.size() == rowsPerWrite || r == rejected.size() - 1) {
                client.update(spreadsheetId, REJECTED_TAB + UPDATING, List.of(new Request().setUpdateCells(
                        new UpdateCellsRequest().setStart(new GridCoordinate().setSheetId(sheetId).setRowIndex(start)
                                .setColumnIndex(0)).setRows(batch).setFields("userEnteredValue,userEnteredFormat.textFormat.link"))));
                start = r + 1;
                batch = new ArrayList<>();
            }
        }
    }

    private static CellData cell(Object v) {
        ExtendedValue value = new ExtendedValue();
        if (v instanceof Double d) {
            value.setNumberValue(d);
        } else {
            value.setStringValue(v.toString());
        }
        return new CellData().setUserEnteredValue(value);
    }

    private static Request addSheet(String title, int rows, int columns) {
        return new Request().setAddSheet(new AddSheetRequest().setProperties(new SheetProperties().setTitle(title)
                .setGridProperties(new GridProperties().setRowCount(Math.max(1, rows)).setColumnCount(Math.max(1, columns)))));
    }

    private static Request rename(int sheetId, String title, int index, int frozenRows) {
        return new Request().setUpdateSheetProperties(new UpdateSheetPropertiesRequest()
                .setProperties(new SheetProperties().setSheetId(sheetId).setTitle(title).setIndex(index)
                        .setGridProperties(new GridProperties().setFrozenRowCount(frozenRows)))
                .setFields("title,index,gridProperties.frozenRowCount"));
    }

    private static List<Request> discrepancyFormats(int sheetId, List<String> header, int rows) {
        List<Request> out = new ArrayList<>(numberFormats(sheetId, header, HEADER_ROWS, rows));
        String status = A1.column(header.indexOf("status") + 1);
        GridRange data = new GridRange().setSheetId(sheetId).setStartRowIndex(HEADER_ROWS).setEndRowIndex(Math.max(
                HEADER_ROWS + 1, rows)).setStartColumnIndex(0).setEndColumnIndex(header.size() + 2);
        Object[][] colours = {{"DISCREPANCY", 1.0f, 0.85f, 0.85f}, {"MISSING_INVENTORY", 1.0f, 0.9f, 0.75f},
            {"MISSING_PURCHASE", 1.0f, 0.97f, 0.75f}, {NO_LONGER_PRESENT, 0.9f, 0.9f, 0.9f}};
        int index = 0;
        for (Object[] c : colours) {
            out.add(new Request().setAddConditionalFormatRule(new AddConditionalFormatRuleRequest().setIndex(index++)
                    .setRule(new ConditionalFormatRule().setRanges(List.of(data)).setBooleanRule(new BooleanRule()
                            .setCondition(new BooleanCondition().setType("CUSTOM_FORMULA").setValues(List.of(
                                    new ConditionValue().setUserEnteredValue("=$" + status + (HEADER_ROWS + 1) + "=\""
                                            + c[0] + "\""))))
                            .setFormat(new CellFormat().setBackgroundColor(new Color().setRed((Float) c[1])
                                    .setGreen((Float) c[2]).setBlue((Float) c[3])))))));
        }
        int resolution = header.size() + 1;
        out.add(new Request().setSetDataValidation(new SetDataValidationRequest()
                .setRange(new GridRange().setSheetId(sheetId).setStartRowIndex(HEADER_ROWS)
                        .setEndRowIndex(Math.max(HEADER_ROWS + 1, rows)).setStartColumnIndex(resolution)
                        .setEndColumnIndex(resolution + 1))
                .setRule(new DataValidationRule().setCondition(new BooleanCondition().setType("ONE_OF_LIST")
                        .setValues(RESOLUTIONS.stream().map(v -> new ConditionValue().setUserEnteredValue(v)).toList()))
                        .setShowCustomUi(true).setStrict(false))));
        return out;
    }

    /** Weights with 3 decimals, percentages with 2, counts whole. */
    private static List<Request> numberFormats(int sheetId, List<String> header, int firstDataRow, int rows) {
        List<Request> out = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            String pattern = name.endsWith("_kg") ? "#,##0.000" : name.endsWith("_pct") ? "0.00" : isNumeric(name)
                    ? "#,##0" : null;
            if (pattern == null) {
                continue;
            }
            out.add(new Request().setRepeatCell(new RepeatCellRequest()
                    .setRange(new GridRange().setSheetId(sheetId).setStartRowIndex(firstDataRow)
                            .setEndRowIndex(Math.max(firstDataRow + 1, rows)).setStartColumnIndex(c).setEndColumnIndex(c + 1))
                    .setCell(new CellData().setUserEnteredFormat(new CellFormat().setNumberFormat(new NumberFormat()
                            .setType("NUMBER").setPattern(pattern))))
                    .setFields("userEnteredFormat.numberFormat")));
        }
        return out;
    }

    private static boolean isOurs(String title) {
        for (String t : List.of(DISCREPANCY_TAB, OFFICER_TAB, REJECTED_TAB)) {
            if (title.equals(t) || title.equals(t + UPDATING)) {
                return true;
            }
        }
        return false;
    }

    private static SheetsClient.SheetInfo tab(List<SheetsClient.SheetInfo> tabs, String title) {
        return tabs.stream().filter(t -> t.title().equals(title)).findFirst().orElse(null);
    }

    private static List<List<String>> read(RunReports reports, String name) throws IOException {
        try (InputStream in = reports.open(name)) {
            return ReportCsv.read(in);
        }
    }
}
