package io.tally.functions.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.sheets.v4.model.AddConditionalFormatRuleRequest;
import com.google.api.services.sheets.v4.model.AddProtectedRangeRequest;
import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.BooleanCondition;
import com.google.api.services.sheets.v4.model.BooleanRule;
import com.google.api.services.sheets.v4.model.CellData;
import com.google.api.services.sheets.v4.model.CellFormat;
import com.google.api.services.sheets.v4.model.Color;
import com.google.api.services.sheets.v4.model.ConditionValue;
import com.google.api.services.sheets.v4.model.ConditionalFormatRule;
import com.google.api.services.sheets.v4.model.CreateDeveloperMetadataRequest;
import com.google.api.services.sheets.v4.model.DataValidationRule;
import com.google.api.services.sheets.v4.model.DeleteProtectedRangeRequest;
import com.google.api.services.sheets.v4.model.DeleteSheetRequest;
import com.google.api.services.sheets.v4.model.DeveloperMetadata;
import com.google.api.services.sheets.v4.model.DeveloperMetadataLocation;
import com.google.api.services.sheets.v4.model.Editors;
import com.google.api.services.sheets.v4.model.ExtendedValue;
import com.google.api.services.sheets.v4.model.GridCoordinate;
import com.google.api.services.sheets.v4.model.GridProperties;
import com.google.api.services.sheets.v4.model.GridRange;
import com.google.api.services.sheets.v4.model.Link;
import com.google.api.services.sheets.v4.model.NumberFormat;
import com.google.api.services.sheets.v4.model.ProtectedRange;
import com.google.api.services.sheets.v4.model.RepeatCellRequest;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.RowData;
import com.google.api.services.sheets.v4.model.SetDataValidationRequest;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.TextFormat;
import com.google.api.services.sheets.v4.model.UpdateCellsRequest;
import com.google.api.services.sheets.v4.model.UpdateSheetPropertiesRequest;
import com.google.api.services.sheets.v4.model.ValueRange;
import io.tally.core.ReportColumn;
import io.tally.sheets.A1;
import io.tally.sheets.SheetsClient;
import io.tally.sheets.SheetsException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Writes a run's reports into the report spreadsheet: "Discrepancy Report" (the discrepancies plus COMMENTS and
 * RESOLUTION STATUS), "Officer Summary" and "Rejected Rows" (each with COMMENTS). The analysts' notes are the most
 * valuable cells, and a publish never loses one:
 * <ol>
 *   <li>one publish at a time per spreadsheet ({@link WriteBackLock}); a publish whose run is older than the one
 *       the tab shows, or the same, changes nothing;</li>
 *   <li>notes are read as typed ({@code FORMULA}) and carried by key (date and officer; officer; tracker and raw
 *       row) wherever the analyst sorted the row; a key that is gone keeps its row if it has a note, marked
 *       {@value WriteBackPlan#NO_LONGER_PRESENT}; a row typed with a note and no key, and a second note on a copied
 *       row, keep rows of their own;</li>
 *   <li>new content goes to fresh hidden tabs; then the old tabs' note columns are protected (only the service
 *       account may edit them), read again and any change copied; then one batchUpdate, which also proves the
 *       lock is still held, swaps the tabs in and hides the old ones as "(previous)";</li>
 *   <li>the spreadsheet's owner can edit a protected range all the same, so the "(previous)" tabs are read once
 *       more and an owner's late note is copied to its key unless someone has typed there since; then they go.</li>
 * </ol>
 * A failure before the swap leaves the old tabs and every note as they were (and their protection removed); the
 * next publish removes the hidden tabs it left. Tally's own cells are written as typed ({@code RAW}), so none is
 * ever run as a formula; the notes are written back {@code USER_ENTERED}, so a formula or a link stays one.
 */
public final class SheetsWriteBack {
    public static final String DISCREPANCY_TAB = ReportTab.DISCREPANCY.title;
    public static final String OFFICER_TAB = ReportTab.OFFICERS.title;
    public static final String REJECTED_TAB = ReportTab.REJECTED.title;
    public static final String FINDINGS_TAB = ReportTab.FINDINGS.title;
    public static final String INVOICES_TAB = ReportTab.INVOICES.title;
    public static final String COMMENTS = ReportTab.COMMENTS;
    public static final String RESOLUTION = ReportTab.RESOLUTION;
    public static final List<String> RESOLUTIONS = List.of("OPEN", "INVESTIGATING", "RESOLVED", "WONT_FIX");
    public static final String NO_LONGER_PRESENT = WriteBackPlan.NO_LONGER_PRESENT;
    public static final String DUPLICATE_ROW = WriteBackPlan.DUPLICATE;
    /** The largest spreadsheet Google allows, in cells over every tab's grid. */
    public static final long CELL_LIMIT = 10_000_000;
    /** Google recommends request payloads of at most 2 MB; Tally keeps its own under this estimate. */
    public static final int REQUEST_BYTES = 1_800_000;
    /** The developer metadata on the Discrepancy Report tab that names the run it shows. */
    static final String RUN_KEY = "tally.run";

    static final int READ_CHUNK_ROWS = 20_000;
    /** Rows a request when only the key and note columns are read. */
    static final int NARROW_CHUNK_ROWS = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a publish is paced and bounded. */
    public record Settings(
            long cellLimit, int rowsPerWrite, int requestBytes, WriteBackLock.Settings lock, RandomGenerator random) {
        public static Settings defaults() {
            return new Settings(
                    CELL_LIMIT, 50_000, REQUEST_BYTES, WriteBackLock.Settings.defaults(), new SplittableRandom());
        }

        public Settings withLock(Duration lease, Duration maxWait, Duration poll) {
            return new Settings(
                    cellLimit,
                    rowsPerWrite,
                    requestBytes,
                    new WriteBackLock.Settings(lease, maxWait, poll, lock.time(), lock.sleep()),
                    random);
        }
    }

    /** What a publish changed, or would change in a dry run, or why it changed nothing. */
    public record Plan(
            String runId,
            long keys,
            long rowsWritten,
            long added,
            long removed,
            long changed,
            long notesKept,
            long notesOnVanishedKeys,
            boolean truncated,
            boolean written,
            Optional<String> skipped,
            long cutCells,
            long writeRequests,
            Duration protectedFor,
            Duration waitedForLock) {
        public String describe() {
            if (skipped.isPresent()) {
                return "run " + runId + ": nothing changed, " + skipped.get();
            }
            return String.format(
                    Locale.ROOT,
                    "run %s: %,d keys; %,d added, %,d removed, %,d changed; %,d notes kept"
                            + " (%,d on keys no longer present)%s%s",
                    runId,
                    keys,
                    added,
                    removed,
                    changed,
                    notesKept,
                    notesOnVanishedKeys,
                    truncated ? "; only the keys that are not OK fit in the spreadsheet" : "",
                    cutCells > 0
                            ? String.format(
                                    Locale.ROOT,
                                    "; %,d cells over 50,000 characters cut (each says where" + " the whole text is)",
                                    cutCells)
                            : "");
        }
    }

    /** Another publish held the spreadsheet for longer than this one waits: try again later. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    private final SheetsClient client;
    private final Settings settings;
    private final BiConsumer<String, Map<String, Object>> log;
    private long writes;

    public SheetsWriteBack(
            SheetsClient client, long cellLimit, int rowsPerWrite, BiConsumer<String, Map<String, Object>> log) {
        this(
                client,
                new Settings(
                        cellLimit,
                        rowsPerWrite,
                        REQUEST_BYTES,
                        WriteBackLock.Settings.defaults(),
                        new SplittableRandom()),
                log);
    }

    public SheetsWriteBack(SheetsClient client, Settings settings, BiConsumer<String, Map<String, Object>> log) {
        this.client = client;
        this.settings = settings;
        this.log = log;
    }

    public Plan publish(String spreadsheetId, RunReports reports, boolean dryRun) throws IOException {
        Map<ReportTab, List<Object[]>> csv = new EnumMap<>(ReportTab.class);
        for (ReportTab t : ReportTab.values()) {
            try (InputStream in = reports.open(t.report.fileName())) {
                csv.put(t, t.report.readAll(in));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        reports.location() + "/" + t.report.fileName() + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (dryRun) {
            List<SheetsClient.SheetInfo> tabs = client.sheets(spreadsheetId);
            Map<ReportTab, SheetsClient.SheetInfo> live = live(tabs);
            WriteBackPlan plan = plan(spreadsheetId, reports, csv, tabs, live, read(live));
            return summary(reports, plan, false, Optional.empty(), Duration.ZERO, Duration.ZERO);
        }
        WriteBackLock lock = new WriteBackLock(
                client,
                spreadsheetId,
                client.account() + " for run " + reports.runId(),
                settings.lock(),
                settings.random(),
                log);
        writes = 0;
        try (WriteBackLock.Held held = lock.acquire()) {
            return publish(spreadsheetId, reports, csv, held);
        }
    }

    private Plan publish(
            String spreadsheetId, RunReports reports, Map<ReportTab, List<Object[]>> csv, WriteBackLock.Held lock) {
        List<SheetsClient.SheetInfo> tabs = client.sheets(spreadsheetId);
        Map<ReportTab, SheetsClient.SheetInfo> live = live(tabs);
        Optional<String> older = older(live.get(ReportTab.DISCREPANCY), reports);
        List<Request> leftovers = leftovers(tabs);
        if (older.isPresent()) {
            if (!leftovers.isEmpty()) {
                update(spreadsheetId, "(leftovers)", leftovers);
            }
            log.accept(
                    "sheets.publish-skipped",
                    Map.of("spreadsheet", spreadsheetId, "run", reports.runId(), "why", older.get()));
            return new Plan(
                    reports.runId(), 0, 0, 0, 0, 0, 0, 0, false, false, older, 0, writes, Duration.ZERO, lock.waited);
        }
        Map<ReportTab, TabContent> before = read(live);
        WriteBackPlan plan = plan(spreadsheetId, reports, csv, tabs, live, before);

        // 1. Fresh hidden tabs, with ids chosen here so that a retried request can be checked (and away with any a
        //    failed publish left).
        Map<ReportTab, Integer> ids = new EnumMap<>(ReportTab.class);
        List<Request> create = new ArrayList<>(leftovers);
        Set<Integer> taken = new HashSet<>();
        tabs.forEach(t -> taken.add(t.sheetId()));
        for (ReportTab t : ReportTab.values()) {
            int id;
            do {
                id = 1 + settings.random().nextInt(Integer.MAX_VALUE - 1);
            } while (!taken.add(id));
            ids.put(t, id);
            WriteBackPlan.TabRows rows = plan.tabs.get(t);
            create.add(new Request()
                    .setAddSheet(new AddSheetRequest()
                            .setProperties(new SheetProperties()
                                    .setSheetId(id)
                                    .setTitle(t.title + ReportTab.UPDATING)
                                    .setHidden(true)
                                    .setGridProperties(new GridProperties()
                                            .setRowCount(rows.gridRows())
                                            .setColumnCount(rows.width())))));
        }
        plan.resolve(spreadsheetId, ids);
        updateChecked(spreadsheetId, "(new tabs)", create, () -> {
            Set<Integer> now = new HashSet<>();
            client.sheets(spreadsheetId).forEach(t -> now.add(t.sheetId()));
            return now.containsAll(ids.values());
        });

        // 2. Their content.
        for (ReportTab t : ReportTab.values()) {
            writeTab(spreadsheetId, ids.get(t), plan.tabs.get(t), reports, plan.truncated, lock);
        }

        // 3. The old tabs' note columns become read-only to all but Tally; read them again; copy what changed.
        List<Integer> protections = new ArrayList<>();
        List<Request> protect = new ArrayList<>();
        for (Map.Entry<ReportTab, SheetsClient.SheetInfo> e : live.entrySet()) {
            TabContent was = before.get(e.getKey());
            for (int c : was.readable() ? was.noteAt() : List.<Integer>of()) {
                if (c >= 0) {
                    int pid = 1 + settings.random().nextInt(Integer.MAX_VALUE - 1);
                    protections.add(pid);
                    protect.add(new Request()
                            .setAddProtectedRange(new AddProtectedRangeRequest()
                                    .setProtectedRange(new ProtectedRange()
                                            .setProtectedRangeId(pid)
                                            .setDescription("Tally is publishing run " + reports.runId()
                                                    + "; type here again in a moment, on the new tab")
                                            .setRange(new GridRange()
                                                    .setSheetId(e.getValue().sheetId())
                                                    .setStartRowIndex(0)
                                                    .setEndRowIndex(Math.max(
                                                            1, e.getValue().rows()))
                                                    .setStartColumnIndex(c)
                                                    .setEndColumnIndex(c + 1))
                                            .setEditors(new Editors().setUsers(List.of(client.account()))))));
                }
            }
        }
        Instant protectedAt = Instant.now();
        Map<ReportTab, TabContent> again;
        boolean swapped = false;
        try {
            if (!protect.isEmpty()) {
                update(spreadsheetId, "(protect notes)", protect);
            }
            again = readKeysAndNotes(live, before);
            List<ValueRange> late = new ArrayList<>();
            for (ReportTab t : live.keySet()) {
                late.addAll(changedNotes(plan.tabs.get(t), before.get(t), again.get(t), t.title + ReportTab.UPDATING));
            }
            if (!late.isEmpty()) {
                writeNotes(spreadsheetId, DISCREPANCY_TAB + ReportTab.UPDATING, late, lock);
                log.accept("sheets.notes-caught-up", Map.of("notes", late.size()));
            }

            // 4. One batchUpdate swaps the tabs in: all of it applies, or none, and only while the lock is ours.
            List<Request> swap = new ArrayList<>();
            swap.add(lock.fence());
            for (ReportTab t : ReportTab.values()) {
                swap.add(props(new SheetProperties().setSheetId(ids.get(t)).setHidden(false), "hidden"));
            }
            String stamp = Instant.now().toString().replace(':', '.');
            for (Map.Entry<ReportTab, SheetsClient.SheetInfo> e : live.entrySet()) {
                boolean keep = !before.get(e.getKey()).readable();
                swap.add(props(
                        new SheetProperties()
                                .setSheetId(e.getValue().sheetId())
                                .setTitle(e.getKey().title + (keep ? " (kept " + stamp + ")" : ReportTab.PREVIOUS))
                                .setHidden(!keep),
                        "title,hidden"));
                if (keep) {
                    log.accept(
                            "sheets.tab-kept",
                            Map.of(
                                    "spreadsheet",
                                    spreadsheetId,
                                    "tab",
                                    e.getKey().title,
                                    "why",
                                    "its header could not be read, so it is kept as it is, renamed"));
                }
            }
            int index = 0;
            for (ReportTab t : ReportTab.values()) {
                swap.add(props(
                        new SheetProperties()
                                .setSheetId(ids.get(t))
                                .setTitle(t.title)
                                .setIndex(index++)
                                .setGridProperties(new GridProperties().setFrozenRowCount(t.headerRows)),
                        "title,index,gridProperties.frozenRowCount"));
            }
            swap.addAll(discrepancyFormats(ids.get(ReportTab.DISCREPANCY), plan.tabs.get(ReportTab.DISCREPANCY)));
            for (ReportTab t : List.of(ReportTab.OFFICERS, ReportTab.INVOICES)) {
                swap.addAll(numberFormats(
                        ids.get(t), t.report.columns(), 1, plan.tabs.get(t).gridRows()));
            }
            swap.add(new Request()
                    .setCreateDeveloperMetadata(new CreateDeveloperMetadataRequest()
                            .setDeveloperMetadata(new DeveloperMetadata()
                                    .setMetadataKey(RUN_KEY)
                                    .setVisibility("PROJECT")
                                    .setMetadataId(1 + settings.random().nextInt(Integer.MAX_VALUE - 1))
                                    .setMetadataValue(runValue(reports))
                                    .setLocation(new DeveloperMetadataLocation()
                                            .setSheetId(ids.get(ReportTab.DISCREPANCY))))));
            int discId = ids.get(ReportTab.DISCREPANCY);
            updateChecked(spreadsheetId, "(swap)", swap, () -> client.sheets(spreadsheetId).stream()
                    .anyMatch(t -> t.title().equals(DISCREPANCY_TAB) && t.sheetId() == discId));
            swapped = true;
        } finally {
            if (!swapped && !protections.isEmpty()) {
                unprotect(spreadsheetId, protections);
            }
        }
        Duration protectedFor = Duration.between(protectedAt, Instant.now());

        // 5. The owner may have typed on an old tab despite its protection: copy such a note over, then drop them.
        List<Request> drop = new ArrayList<>();
        for (Map.Entry<ReportTab, SheetsClient.SheetInfo> e : live.entrySet()) {
            if (!before.get(e.getKey()).readable()) {
                continue;
            }
            SheetsClient.SheetInfo previous = e.getValue();
            ownersLateNotes(
                    spreadsheetId,
                    e.getKey(),
                    new SheetsClient.SheetInfo(
                            spreadsheetId,
                            e.getKey().title + ReportTab.PREVIOUS,
                            previous.sheetId(),
                            previous.rows(),
                            previous.columns(),
                            previous.locale()),
                    again.get(e.getKey()),
                    ids.get(e.getKey()),
                    plan.tabs.get(e.getKey()),
                    lock);
            drop.add(new Request().setDeleteSheet(new DeleteSheetRequest().setSheetId(previous.sheetId())));
        }
        if (!drop.isEmpty()) {
            try {
                update(spreadsheetId, "(previous tabs)", drop);
            } catch (SheetsException e) {
                log.accept(
                        "sheets.previous-left",
                        Map.of(
                                "spreadsheet",
                                spreadsheetId,
                                "why",
                                e.getMessage() + "; the next publish removes them"));
            }
        }
        Plan done = summary(reports, plan, true, Optional.empty(), protectedFor, lock.waited);
        log.accept(
                "sheets.published",
                Map.of(
                        "spreadsheet",
                        spreadsheetId,
                        "run",
                        reports.runId(),
                        "rows",
                        done.rowsWritten(),
                        "notesKept",
                        done.notesKept(),
                        "truncated",
                        done.truncated(),
                        "writeRequests",
                        done.writeRequests(),
                        "protectedMs",
                        protectedFor.toMillis()));
        return done;
    }

    // ---- the plan ------------------------------------------------------------------------------------------

    private WriteBackPlan plan(
            String spreadsheetId,
            RunReports reports,
            Map<ReportTab, List<Object[]>> csv,
            List<SheetsClient.SheetInfo> tabs,
            Map<ReportTab, SheetsClient.SheetInfo> live,
            Map<ReportTab, TabContent> before) {
        // What fits: every tab's grid counts, and the old tabs stay until the swap.
        long fixed = tabs.stream()
                .filter(t ->
                        !t.title().endsWith(ReportTab.UPDATING) && !t.title().endsWith(ReportTab.PREVIOUS))
                .mapToLong(t -> (long) t.rows() * t.columns())
                .sum();
        WriteBackPlan plan =
                WriteBackPlan.of(csv, before, reports.sources(), fixed, settings.cellLimit(), reports.location());
        if (fixed + plan.cells() > settings.cellLimit()) {
            throw new SheetsException(
                    "spreadsheet " + spreadsheetId + " cannot hold the reports of run "
                            + reports.runId() + " even without the keys that are OK (" + (fixed + plan.cells())
                            + " cells, the limit is " + settings.cellLimit()
                            + "); give Tally a report spreadsheet of its own",
                    400,
                    null);
        }
        return plan;
    }

    private Plan summary(
            RunReports reports,
            WriteBackPlan plan,
            boolean written,
            Optional<String> skipped,
            Duration protectedFor,
            Duration waited) {
        return new Plan(
                reports.runId(),
                plan.keys,
                plan.tabs.get(ReportTab.DISCREPANCY).rows.size(),
                plan.added,
                plan.removed,
                plan.changed,
                plan.notesKept,
                plan.notesOnVanishedKeys,
                plan.truncated,
                written,
                skipped,
                plan.cutCells,
                writes,
                protectedFor,
                waited);
    }

    /** Why this run must not replace what the tab shows, or empty when it is newer. */
    private Optional<String> older(SheetsClient.SheetInfo disc, RunReports reports) {
        if (disc == null) {
            return Optional.empty();
        }
        Optional<SheetsClient.Metadata> md = disc.metadata(RUN_KEY);
        if (md.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode shown = JSON.readTree(md.get().value());
            String runId = shown.path("runId").asText();
            Instant data = Instant.parse(shown.path("dataTime").asText());
            if (data.isAfter(reports.dataTime())) {
                return Optional.of("the tab shows run " + runId + ", on data of " + data + ", newer than this run's "
                        + reports.dataTime());
            }
            if (runId.equals(reports.runId()) && data.equals(reports.dataTime())) {
                return Optional.of("the tab already shows this run");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Tally's to read: publish
        }
    }

    private static String runValue(RunReports reports) {
        return JSON.createObjectNode()
                .put("runId", reports.runId())
                .put("dataTime", reports.dataTime().toString())
                .put("finishedAt", reports.finishedAt())
                .toString();
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private static Map<ReportTab, SheetsClient.SheetInfo> live(List<SheetsClient.SheetInfo> tabs) {
        Map<ReportTab, SheetsClient.SheetInfo> live = new EnumMap<>(ReportTab.class);
        for (ReportTab t : ReportTab.values()) {
            tabs.stream().filter(x -> x.title().equals(t.title)).findFirst().ifPresent(x -> live.put(t, x));
        }
        return live;
    }

    private Map<ReportTab, TabContent> read(Map<ReportTab, SheetsClient.SheetInfo> live) {
        Map<ReportTab, TabContent> out = new EnumMap<>(ReportTab.class);
        for (ReportTab t : ReportTab.values()) {
            SheetsClient.SheetInfo info = live.get(t);
            out.put(
                    t,
                    info == null
                            ? TabContent.none(t)
                            : TabContent.parse(t, client.readAll(info, READ_CHUNK_ROWS, SheetsClient.Render.FORMULA)));
        }
        return out;
    }

    /** A second read of tabs read once: only their key and note columns, in large chunks. */
    private Map<ReportTab, TabContent> readKeysAndNotes(
            Map<ReportTab, SheetsClient.SheetInfo> live, Map<ReportTab, TabContent> first) {
        Map<ReportTab, TabContent> out = new EnumMap<>(ReportTab.class);
        for (ReportTab t : ReportTab.values()) {
            SheetsClient.SheetInfo info = live.get(t);
            TabContent was = first.get(t);
            out.put(t, info == null || !was.readable() || was.empty() ? was : readKeysAndNotes(t, info, was));
        }
        return out;
    }

    private TabContent readKeysAndNotes(ReportTab t, SheetsClient.SheetInfo info, TabContent shape) {
        return TabContent.parse(
                t, client.readColumns(info, shape.keyAndNoteColumns(), NARROW_CHUNK_ROWS, SheetsClient.Render.FORMULA));
    }

    private static List<Request> leftovers(List<SheetsClient.SheetInfo> tabs) {
        List<Request> out = new ArrayList<>();
        for (SheetsClient.SheetInfo t : tabs) {
            if (ReportTab.isOurs(t.title())
                    && (t.title().endsWith(ReportTab.UPDATING) || t.title().endsWith(ReportTab.PREVIOUS))) {
                out.add(new Request().setDeleteSheet(new DeleteSheetRequest().setSheetId(t.sheetId())));
            }
        }
        return out;
    }

    /** The notes that changed between two reads of an old tab, as writes to their keys' rows on the new tab. */
    private static List<ValueRange> changedNotes(
            WriteBackPlan.TabRows rows, TabContent first, TabContent now, String newTitle) {
        List<ValueRange> out = new ArrayList<>();
        Set<List<String>> keys = new HashSet<>(first.notes().keySet());
        keys.addAll(now.notes().keySet());
        for (List<String> key : keys) {
            TabContent.Notes was = first.notes().get(key);
            TabContent.Notes is = now.notes().get(key);
            Integer row = rows.rowOf.get(key);
            if (row == null || (is == null ? was == null || was.isEmpty() : is.sameAs(was))) {
                continue;
            }
            TabContent.Notes value = is == null ? TabContent.Notes.empty(rows.tab.noteColumns.size()) : is;
            out.add(noteRange(newTitle, rows, row, value));
        }
        return out;
    }

    private static ValueRange noteRange(String title, WriteBackPlan.TabRows rows, int row, TabContent.Notes value) {
        String range = A1.quote(title) + "!" + A1.column(rows.tallyColumns + 1) + row + ":"
                + A1.column(rows.tallyColumns + rows.tab.noteColumns.size()) + row;
        return new ValueRange().setRange(range).setValues(List.of(new ArrayList<>(value.values())));
    }

    /**
     * Notes the owner typed on an old tab after it was protected and read: each is copied to its key's row on the
     * new tab, unless someone has typed a note there since the swap (then theirs stands, and this says so).
     */
    private void ownersLateNotes(
            String spreadsheetId,
            ReportTab tab,
            SheetsClient.SheetInfo previous,
            TabContent copied,
            int newId,
            WriteBackPlan.TabRows rows,
            WriteBackLock.Held lock) {
        TabContent last = readKeysAndNotes(tab, previous, copied);
        List<List<String>> changed = new ArrayList<>();
        for (List<String> key : union(copied.notes().keySet(), last.notes().keySet())) {
            TabContent.Notes was = copied.notes().get(key);
            TabContent.Notes is = last.notes().get(key);
            if (rows.rowOf.containsKey(key) && !(is == null ? was == null || was.isEmpty() : is.sameAs(was))) {
                changed.add(key);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        SheetsClient.SheetInfo current = client.sheets(spreadsheetId).stream()
                .filter(t -> t.sheetId() == newId)
                .findFirst()
                .orElse(null);
        if (current == null) {
            return;
        }
        TabContent now = TabContent.parse(tab, client.readAll(current, READ_CHUNK_ROWS, SheetsClient.Render.FORMULA));
        List<ValueRange> out = new ArrayList<>();
        for (List<String> key : changed) {
            TabContent.Notes written = copied.notes().get(key);
            TabContent.Notes live = now.notes().get(key);
            Integer at = now.rowIndex().get(key);
            boolean untouched = live == null ? written == null || written.isEmpty() : live.sameAs(written);
            if (at == null || !untouched) {
                log.accept(
                        "sheets.note-conflict",
                        Map.of(
                                "tab",
                                tab.title,
                                "key",
                                String.join(" | ", key),
                                "kept",
                                live == null ? "" : live.values().toString(),
                                "notCopied",
                                last.notes().containsKey(key)
                                        ? last.notes().get(key).values().toString()
                                        : ""));
                continue;
            }
            TabContent.Notes value = last.notes().getOrDefault(key, TabContent.Notes.empty(tab.noteColumns.size()));
            out.add(noteRange(tab.title, rows, at + 1, value));
        }
        if (!out.isEmpty()) {
            writeNotes(spreadsheetId, tab.title, out, lock);
            log.accept("sheets.owner-notes-copied", Map.of("tab", tab.title, "notes", out.size()));
        }
    }

    private static Set<List<String>> union(Set<List<String>> a, Set<List<String>> b) {
        Set<List<String>> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    // ---- writing -------------------------------------------------------------------------------------------

    private void writeTab(
            String spreadsheetId,
            int sheetId,
            WriteBackPlan.TabRows rows,
            RunReports reports,
            boolean truncated,
            WriteBackLock.Held lock) {
        String title = rows.tab.title + ReportTab.UPDATING;
        List<List<Object>> top = new ArrayList<>();
        if (rows.tab == ReportTab.DISCREPANCY) {
            top.add(List.of("Last refreshed " + reports.finishedAt() + " from run " + reports.runId()
                    + (truncated
                            ? "; showing only the keys that are not OK (and any with a note), since the full "
                                    + "report would not fit in this spreadsheet; the full report: " + reports.location()
                                    + "/discrepancies.csv"
                            : "")));
        }
        top.add(new ArrayList<>(rows.header));
        writeRaw(spreadsheetId, title, 1, top, lock);
        if (rows.tab.hasLinks()) {
            writeCells(spreadsheetId, sheetId, rows, lock);
        } else {
            List<List<Object>> data = new ArrayList<>(rows.rows.size());
            for (Object[] r : rows.rows) {
                List<Object> cells = new ArrayList<>(rows.tallyColumns);
                for (int c = 0; c < rows.tallyColumns; c++) {
                    cells.add(r[c]);
                }
                data.add(cells);
            }
            writeRaw(spreadsheetId, title, rows.tab.headerRows + 1, data, lock);
        }
        List<ValueRange> notes = new ArrayList<>();
        for (int i = 0; i < rows.rows.size(); i++) {
            Object[] r = rows.rows.get(i);
            List<Object> values = new ArrayList<>();
            boolean any = false;
            for (int n = 0; n < rows.tab.noteColumns.size(); n++) {
                Object v = r[rows.tallyColumns + n];
                values.add(v == null ? "" : v);
                any |= v != null && !v.toString().isBlank();
            }
            if (any) {
                notes.add(noteRange(title, rows, rows.tab.headerRows + i + 1, new TabContent.Notes(values)));
            }
        }
        writeNotes(spreadsheetId, title, notes, lock);
    }

    /** Tally's cells, as typed, in requests cut by size (and at most {@code rowsPerWrite} rows). */
    private void writeRaw(
            String spreadsheetId, String tab, int firstRow, List<List<Object>> rows, WriteBackLock.Held lock) {
        int from = 0;
        while (from < rows.size()) {
            long bytes = 200;
            int to = from;
            while (to < rows.size()
                    && to - from < settings.rowsPerWrite()
                    && (to == from || bytes + rowBytes(rows.get(to)) <= settings.requestBytes())) {
                bytes += rowBytes(rows.get(to));
                to++;
            }
            List<List<Object>> chunk = rows.subList(from, to);
            int width = chunk.stream().mapToInt(List::size).max().orElse(1);
            int first = firstRow + from;
            String range = A1.range(tab, first, first + chunk.size() - 1, Math.max(1, width));
            lock.keepAlive();
            client.writeValues(
                    spreadsheetId, tab, List.of(new ValueRange().setRange(range).setValues(chunk)));
            writes++;
            from = to;
        }
    }

    /** The analysts' notes, as if they typed them again ({@code USER_ENTERED}), in requests cut by size. */
    private void writeNotes(String spreadsheetId, String tab, List<ValueRange> notes, WriteBackLock.Held lock) {
        int from = 0;
        while (from < notes.size()) {
            long bytes = 200;
            int to = from;
            while (to < notes.size() && (to == from || bytes + rangeBytes(notes.get(to)) <= settings.requestBytes())) {
                bytes += rangeBytes(notes.get(to));
                to++;
            }
            lock.keepAlive();
            client.writeValues(spreadsheetId, tab, notes.subList(from, to), SheetsClient.Input.USER_ENTERED);
            writes++;
            from = to;
        }
    }

    /**
     * A tab with a column of links (rejected rows to their source rows, findings to theirs, flagged keys to their
     * findings), written as cells so that the links carry a link format.
     */
    private void writeCells(String spreadsheetId, int sheetId, WriteBackPlan.TabRows rows, WriteBackLock.Held lock) {
        List<RowData> batch = new ArrayList<>();
        long bytes = 200;
        int start = rows.tab.headerRows;
        for (int r = 0; r < rows.rows.size(); r++) {
            Object[] cells = rows.rows.get(r);
            List<CellData> row = new ArrayList<>();
            long size = 20;
            for (int c = 0; c < rows.tallyColumns; c++) {
                row.add(cell(cells[c]));
                size += cellBytes(cells[c]) + 40;
            }
            if (!batch.isEmpty()
                    && (batch.size() >= settings.rowsPerWrite() || bytes + size > settings.requestBytes())) {
                flushCells(spreadsheetId, sheetId, rows.tab, start, batch, lock);
                start = rows.tab.headerRows + r;
                batch = new ArrayList<>();
                bytes = 200;
            }
            batch.add(new RowData().setValues(row));
            bytes += size;
        }
        if (!batch.isEmpty()) {
            flushCells(spreadsheetId, sheetId, rows.tab, start, batch, lock);
        }
    }

    private void flushCells(
            String spreadsheetId,
            int sheetId,
            ReportTab tab,
            int startRow,
            List<RowData> batch,
            WriteBackLock.Held lock) {
        lock.keepAlive();
        update(
                spreadsheetId,
                tab.title + ReportTab.UPDATING,
                List.of(new Request()
                        .setUpdateCells(new UpdateCellsRequest()
                                .setStart(new GridCoordinate()
                                        .setSheetId(sheetId)
                                        .setRowIndex(startRow)
                                        .setColumnIndex(0))
                                .setRows(batch)
                                .setFields("userEnteredValue,userEnteredFormat.textFormat.link"))));
    }

    private static CellData cell(Object v) {
        ExtendedValue value = new ExtendedValue();
        if (v instanceof Double d) {
            return new CellData().setUserEnteredValue(value.setNumberValue(d));
        }
        if (v instanceof WriteBackPlan.Link link) {
            return new CellData()
                    .setUserEnteredValue(value.setStringValue(link.text()))
                    .setUserEnteredFormat(
                            new CellFormat().setTextFormat(new TextFormat().setLink(new Link().setUri(link.url()))));
        }
        return new CellData().setUserEnteredValue(value.setStringValue(TabContent.text(v)));
    }

    private static long rowBytes(List<Object> row) {
        long n = 4;
        for (Object o : row) {
            n += cellBytes(o) + 1;
        }
        return n;
    }

    private static long rangeBytes(ValueRange v) {
        long n = v.getRange().length() * 2L + 60;
        for (List<Object> row : v.getValues()) {
            n += rowBytes(row);
        }
        return n;
    }

    /** A cell's size in the JSON body, at most: escapes, and non-ASCII characters as {@code \\uXXXX}. */
    static long cellBytes(Object o) {
        if (o == null) {
            return 4;
        }
        if (o instanceof Number n) {
            return n.toString().length() + 2;
        }
        if (o instanceof WriteBackPlan.Link l) {
            return cellBytes(l.text()) + cellBytes(l.url()) + 120;
        }
        String s = o.toString();
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c == '"' || c == '\\'
                    ? 2
                    : c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&' || c == '=' || c == '\'' ? 6 : 1;
        }
        return n;
    }

    private void update(String spreadsheetId, String what, List<Request> requests) {
        client.update(spreadsheetId, what, requests);
        writes++;
    }

    /**
     * A batchUpdate that is not safe to repeat: when its first attempt went unanswered and the retry was refused,
     * {@code applied} looks whether it applied after all, and only if not is the failure reported.
     */
    private void updateChecked(String spreadsheetId, String what, List<Request> requests, BooleanSupplier applied) {
        try {
            update(spreadsheetId, what, requests);
        } catch (SheetsException e) {
            if (e.retried() && e.status() == 400 && applied.getAsBoolean()) {
                log.accept(
                        "sheets.applied-after-all",
                        Map.of("spreadsheet", spreadsheetId, "request", what, "answer", e.getMessage()));
                return;
            }
            throw e;
        }
    }

    private void unprotect(String spreadsheetId, List<Integer> protections) {
        for (int pid : protections) {
            try {
                client.update(
                        spreadsheetId,
                        "(unprotect notes)",
                        List.of(new Request()
                                .setDeleteProtectedRange(new DeleteProtectedRangeRequest().setProtectedRangeId(pid))));
            } catch (SheetsException e) {
                log.accept(
                        "sheets.unprotect-failed",
                        Map.of("spreadsheet", spreadsheetId, "protectedRange", pid, "why", e.getMessage()));
            }
        }
    }

    private static Request props(SheetProperties p, String fields) {
        return new Request()
                .setUpdateSheetProperties(
                        new UpdateSheetPropertiesRequest().setProperties(p).setFields(fields));
    }

    private static List<Request> discrepancyFormats(int sheetId, WriteBackPlan.TabRows tab) {
        List<String> header = tab.header;
        int rows = tab.gridRows();
        int headerRows = ReportTab.DISCREPANCY.headerRows;
        List<Request> out =
                new ArrayList<>(numberFormats(sheetId, ReportTab.DISCREPANCY.report.columns(), headerRows, rows));
        String status = A1.column(header.indexOf("status") + 1);
        GridRange data = new GridRange()
                .setSheetId(sheetId)
                .setStartRowIndex(headerRows)
                .setEndRowIndex(rows)
                .setStartColumnIndex(0)
                .setEndColumnIndex(header.size());
        Object[][] colours = {
            {"DISCREPANCY", 1.0f, 0.85f, 0.85f},
            {"MISSING_INVENTORY", 1.0f, 0.9f, 0.75f},
            {"MISSING_PURCHASE", 1.0f, 0.97f, 0.75f},
            {NO_LONGER_PRESENT, 0.9f, 0.9f, 0.9f}
        };
        int index = 0;
        for (Object[] c : colours) {
            out.add(new Request()
                    .setAddConditionalFormatRule(new AddConditionalFormatRuleRequest()
                            .setIndex(index++)
                            .setRule(new ConditionalFormatRule()
                                    .setRanges(List.of(data))
                                    .setBooleanRule(new BooleanRule()
                                            .setCondition(new BooleanCondition()
                                                    .setType("CUSTOM_FORMULA")
                                                    .setValues(List.of(new ConditionValue()
                                                            .setUserEnteredValue("=$" + status + (headerRows + 1)
                                                                    + "=\"" + c[0] + "\""))))
                                            .setFormat(new CellFormat()
                                                    .setBackgroundColor(new Color()
                                                            .setRed((Float) c[1])
                                                            .setGreen((Float) c[2])
                                                            .setBlue((Float) c[3])))))));
        }
        int resolution = header.indexOf(RESOLUTION);
        out.add(new Request()
                .setSetDataValidation(new SetDataValidationRequest()
                        .setRange(new GridRange()
                                .setSheetId(sheetId)
                                .setStartRowIndex(headerRows)
                                .setEndRowIndex(rows)
                                .setStartColumnIndex(resolution)
                                .setEndColumnIndex(resolution + 1))
                        .setRule(new DataValidationRule()
                                .setCondition(new BooleanCondition()
                                        .setType("ONE_OF_LIST")
                                        .setValues(RESOLUTIONS.stream()
                                                .map(v -> new ConditionValue().setUserEnteredValue(v))
                                                .toList()))
                                .setShowCustomUi(true)
                                .setStrict(false))));
        return out;
    }

    /** Weights with 3 decimals, percentages with 2, counts whole. */
    private static List<Request> numberFormats(int sheetId, List<ReportColumn> columns, int firstDataRow, int rows) {
        List<Request> out = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String pattern = columns.get(c).kind().sheetsPattern();
            if (pattern == null) {
                continue;
            }
            out.add(new Request()
                    .setRepeatCell(new RepeatCellRequest()
                            .setRange(new GridRange()
                                    .setSheetId(sheetId)
                                    .setStartRowIndex(firstDataRow)
                                    .setEndRowIndex(Math.max(firstDataRow + 1, rows))
                                    .setStartColumnIndex(c)
                                    .setEndColumnIndex(c + 1))
                            .setCell(new CellData()
                                    .setUserEnteredFormat(new CellFormat()
                                            .setNumberFormat(new NumberFormat()
                                                    .setType("NUMBER")
                                                    .setPattern(pattern))))
                            .setFields("userEnteredFormat.numberFormat")));
        }
        return out;
    }
}
