package io.tally.cli.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local HTTP server that speaks the Sheets v4 REST calls Tally makes, over an in-memory model of
 * spreadsheets, with the OAuth token endpoint a service-account key points at. It follows the documented
 * behaviour of the real API: trailing empty rows and cells are trimmed from values, empty rows in the middle
 * come back as {@code []}, a range that starts past the grid is a 400, a batchUpdate applies every request or
 * none, a workbook holds at most {@link #cellLimit} cells, request bodies may be gzipped, a long GET may come
 * as a POST with {@code X-HTTP-Method-Override}. Tests script faults (429 bursts, 500s, slow answers, dropped
 * connections) and a per-window read quota, and read what was asked.
 */
public final class SheetsEmulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "emulated-token";

    /** A fault to answer one request with. */
    public sealed interface Fault permits Status, Slow, Drop {}

    public record Status(int code) implements Fault {}

    public record Slow(Duration delay) implements Fault {}

    public record Drop() implements Fault {}

    /** One sheet: its id, title, grid size and cells (row-major, ragged). */
    public static final class Sheet {
        int sheetId;
        String title;
        int index;
        int rowCount;
        int columnCount;
        int frozenRowCount;
        final List<List<String>> cells = new ArrayList<>();
        final List<JsonNode> conditionalFormats = new ArrayList<>();
        final List<JsonNode> validations = new ArrayList<>();
        final List<JsonNode> formats = new ArrayList<>();

        public String title() {
            return title;
        }

        public int rowCount() {
            return rowCount;
        }

        public int frozenRowCount() {
            return frozenRowCount;
        }

        public List<JsonNode> conditionalFormats() {
            return conditionalFormats;
        }

        public List<JsonNode> validations() {
            return validations;
        }

        /** Cell (row, column), 0-based, or "" when empty. */
        public String cell(int row, int column) {
            if (row >= cells.size() || column >= cells.get(row).size()) {
                return "";
            }
            String v = cells.get(row).get(column);
            return v == null ? "" : v;
        }

        /** The rows as a reader sees them: trailing empty cells and rows trimmed. */
        public List<List<String>> values() {
            List<List<String>> out = new ArrayList<>();
            for (List<String> r : cells) {
                out.add(trim(r));
            }
            while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        }

        void set(int row, int column, String value) {
            while (cells.size() <= row) {
                cells.add(new ArrayList<>());
            }
            List<String> r = cells.get(row);
            while (r.size() <= column) {
                r.add("");
            }
            r.set(column, value == null ? "" : value);
        }
    }

    /** Overwrites one cell (0-based), as an analyst typing would; below the grid, rows are added first. */
    public void type(String spreadsheetId, String sheet, int row, int column, String value) {
        Spreadsheet s = spreadsheets.get(spreadsheetId);
        synchronized (s) {
            Sheet sh = s.sheet(sheet);
            sh.rowCount = Math.max(sh.rowCount, row + 1);
            sh.set(row, column, value);
        }
    }

    /** Re-orders a sheet's rows below {@code headerRows} with {@code order}, as an analyst sorting would. */
    public void reorder(String spreadsheetId, String sheet, int headerRows, java.util.Comparator<List<String>> order) {
        Spreadsheet s = spreadsheets.get(spreadsheetId);
        synchronized (s) {
            Sheet sh = s.sheet(sheet);
            List<List<String>> body = new ArrayList<>(sh.cells.subList(Math.min(headerRows, sh.cells.size()),
                    sh.cells.size()));
            body.sort(order);
            for (int k = 0; k < body.size(); k++) {
                sh.cells.set(headerRows + k, body.get(k));
            }
        }
    }

    /** One spreadsheet. */
    public static final class Spreadsheet {
        final String id;
        String locale = "en_GB";
        final List<Sheet> sheets = new ArrayList<>();

        Spreadsheet(String id) {
            this.id = id;
        }

        public List<Sheet> sheets() {
            synchronized (this) {
                return List.copyOf(sheets);
            }
        }

        public Sheet sheet(String title) {
            synchronized (this) {
                return sheets.stream().filter(s -> s.title.equals(title)).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("no sheet " + title));
            }
        }

        long cells() {
            return sheets.stream().mapToLong(s -> (long) s.rowCount * s.columnCount).sum();
        }
    }

    private final HttpServer server;
    private final Map<String, Spreadsheet> spreadsheets = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Long> reads = new ArrayDeque<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger nextSheetId = new AtomicInteger(1000);
    private volatile int readQuota = Integer.MAX_VALUE;
    private volatile long quotaWindowNanos = Duration.ofMinutes(1).toNanos();
    private volatile int maxReadsInAWindow;
    private volatile long cellLimit = 10_000_000;
    private final AtomicInteger quotaRefusals = new AtomicInteger();

    private SheetsEmulator(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static SheetsEmulator start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SheetsEmulator e = new SheetsEmulator(server);
        server.createContext("/", e::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        return e;
    }

    public URI root() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public URI tokenUri() {
        return root().resolve("token");
    }

    // ---- set-up and inspection -------------------------------------------------------------------------

    /** Adds a spreadsheet holding one sheet with these rows (row-major; {@code ""} for empty cells). */
    public Spreadsheet addSheet(String spreadsheetId, String title, List<List<String>> rows, int rowCount,
            int columnCount) {
        Spreadsheet s = spreadsheets.computeIfAbsent(spreadsheetId, Spreadsheet::new);
        synchronized (s) {
            Sheet sheet = new Sheet();
            sheet.sheetId = s.sheets.isEmpty() ? 0 : nextSheetId.incrementAndGet();
            sheet.title = title;
            sheet.index = s.sheets.size();
            sheet.rowCount = rowCount;
            sheet.columnCount = columnCount;
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    if (!rows.get(r).get(c).isEmpty()) {
                        sheet.set(r, c, rows.get(r).get(c));
                    }
                }
            }
            s.sheets.add(sheet);
        }
        return s;
    }

    public Spreadsheet spreadsheet(String id) {
        return spreadsheets.get(id);
    }

    /** Answers the next requests with these faults, in order, before serving normally again. */
    public synchronized void script(Fault... next) {
        faults.addAll(List.of(next));
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    /** At most {@code reads} read requests in any {@code window}; more get Google's 429 quota answer. */
    public void readQuota(int reads, Duration window) {
        synchronized (this.reads) {
            this.readQuota = reads;
            this.quotaWindowNanos = window.toNanos();
            this.reads.clear();
            this.maxReadsInAWindow = 0;
            this.quotaRefusals.set(0);
        }
    }

    public void cellLimit(long cells) {
        this.cellLimit = cells;
    }

    /** Requests served, by kind: {@code get}, {@code batchGet}, {@code batchUpdate}, {@code valuesBatchUpdate}, {@code token}. */
    public int calls(String kind) {
        return calls.getOrDefault(kind, new AtomicInteger()).get();
    }

    /** The most read requests the emulator saw in one quota window. */
    public int maxReadsInAWindow() {
        return maxReadsInAWindow;
    }

    /** Read requests refused for quota. */
    public int quotaRefusals() {
        return quotaRefusals.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- HTTP ------------------------------------------------------------------------------------------

    private static final Pattern SPREADSHEET = Pattern.compile("/v4/spreadsheets/([^/:]+)");
    private static final Pattern BATCH_GET = Pattern.compile("/v4/spreadsheets/([^/:]+)/values:batchGet");
    private static final Pattern BATCH_UPDATE = Pattern.compile("/v4/spreadsheets/([^/:]+):batchUpdate");
    private static final Pattern VALUES_UPDATE = Pattern.compile("/v4/spreadsheets/([^/:]+)/values:batchUpdate");

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String method = x.getRequestMethod();
            if ("POST".equals(method) && "GET".equalsIgnoreCase(x.getRequestHeaders().getFirst("X-HTTP-Method-Override"))) {
                method = "GET";
            }
            if (path.equals("/token")) {
                count("token");
                body(x); // the JWT assertion; the emulator trusts it
                send(x, 200, JSON.createObjectNode().put("access_token", TOKEN).put("expires_in", 3599)
                        .put("token_type", "Bearer"));
                return;
            }
            if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                error(x, 401, "Request is missing required authentication credential.", "UNAUTHENTICATED");
                return;
            }
            Fault fault = nextFault();
            if (fault instanceof Drop) {
                count("dropped");
                return; // close without a response: the client sees the connection end
            }
            if (fault instanceof Slow slow) {
                sleep(slow.delay());
            }
            if (fault instanceof Status status) {
                count("fault");
                error(x, status.code(), status.code() == 429 ? quotaMessage() : "Internal error encountered.",
                        status.code() == 429 ? "RESOURCE_EXHAUSTED" : status.code() == 503 ? "UNAVAILABLE" : "INTERNAL");
                return;
            }
            Matcher m;
            if ("GET".equals(method) && (m = BATCH_GET.matcher(path)).matches()) {
                if (!admitRead(x)) {
                    return;
                }
                count("batchGet");
                String query = "POST".equals(x.getRequestMethod()) ? new String(body(x), StandardCharsets.UTF_8)
                        : x.getRequestURI().getRawQuery();
                batchGet(x, decode(m.group(1)), params(query));
            } else if ("POST".equals(method) && (m = VALUES_UPDATE.matcher(path)).matches()) {
                count("valuesBatchUpdate");
                valuesUpdate(x, decode(m.group(1)), JSON.readTree(body(x)));
            } else if ("POST".equals(method) && (m = BATCH_UPDATE.matcher(path)).matches()) {
                count("batchUpdate");
                batchUpdate(x, decode(m.group(1)), JSON.readTree(body(x)));
            } else if ("GET".equals(method) && (m = SPREADSHEET.matcher(path)).matches()) {
                if (!admitRead(x)) {
                    return;
                }
                count("get");
                get(x, decode(m.group(1)));
            } else {
                error(x, 404, "Requested entity was not found.", "NOT_FOUND");
            }
        } catch (BadRequest e) {
            error(x, 400, e.getMessage(), "INVALID_ARGUMENT");
        } catch (RuntimeException e) {
            error(x, 500, "Internal error encountered.", "INTERNAL");
            throw e;
        }
    }

    private void get(HttpExchange x, String id) throws IOException {
        Spreadsheet s = spreadsheets.get(id);
        if (s == null) {
            error(x, 404, "Requested entity was not found.", "NOT_FOUND");
            return;
        }
        ObjectNode root = JSON.createObjectNode().put("spreadsheetId", id);
        synchronized (s) {
            root.putObject("properties").put("title", "Spreadsheet " + id).put("locale", s.locale)
                    .put("timeZone", "Africa/Lagos");
            ArrayNode sheets = root.putArray("sheets");
            for (Sheet sh : s.sheets) {
                ObjectNode p = sheets.addObject().putObject("properties");
                p.put("sheetId", sh.sheetId).put("title", sh.title).put("index", sh.index).put("sheetType", "GRID");
                ObjectNode g = p.putObject("gridProperties").put("rowCount", sh.rowCount)
                        .put("columnCount", sh.columnCount);
                if (sh.frozenRowCount > 0) {
                    g.put("frozenRowCount", sh.frozenRowCount);
                }
            }
        }
        send(x, 200, root);
    }

    private void batchGet(HttpExchange x, String id, Map<String, List<String>> params) throws IOException {
        Spreadsheet s = spreadsheets.get(id);
        if (s == null) {
            error(x, 404, "Requested entity was not found.", "NOT_FOUND");
            return;
        }
        ObjectNode root = JSON.createObjectNode().put("spreadsheetId", id);
        ArrayNode ranges = root.putArray("valueRanges");
        synchronized (s) {
            for (String a1 : params.getOrDefault("ranges", List.of())) {
                Range r = Range.parse(a1, s);
                if (r.firstRow >= r.sheet.rowCount || r.firstColumn >= r.sheet.columnCount) {
                    throw new BadRequest("Range (" + a1 + ") exceeds grid limits. Max rows: " + r.sheet.rowCount
                            + ", max columns: " + r.sheet.columnCount);
                }
                int lastRow = Math.min(r.lastRow, r.sheet.rowCount - 1);
                int lastColumn = Math.min(r.lastColumn, r.sheet.columnCount - 1);
                ObjectNode vr = ranges.addObject();
                vr.put("range", a1(r.sheet.title, r.firstRow, r.firstColumn, lastRow, lastColumn));
                vr.put("majorDimension", "ROWS");
                List<List<String>> rows = new ArrayList<>();
                for (int row = r.firstRow; row <= lastRow; row++) {
                    List<String> cells = new ArrayList<>();
                    for (int c = r.firstColumn; c <= lastColumn; c++) {
                        cells.add(r.sheet.cell(row, c));
                    }
                    rows.add(trim(cells));
                }
                while (!rows.isEmpty() && rows.get(rows.size() - 1).isEmpty()) {
                    rows.remove(rows.size() - 1);
                }
                if (!rows.isEmpty()) {
                    ArrayNode values = vr.putArray("values");
                    for (List<String> row : rows) {
                        ArrayNode a = values.addArray();
                        row.forEach(a::add);
                    }
                }
            }
        }
        send(x, 200, root);
    }

    private void valuesUpdate(HttpExchange x, String id, JsonNode body) throws IOException {
        Spreadsheet s = spreadsheets.get(id);
        if (s == null) {
            error(x, 404, "Requested entity was not found.", "NOT_FOUND");
            return;
        }
        if (!"RAW".equals(body.path("valueInputOption").asText())) {
            throw new BadRequest("this emulator serves valueInputOption RAW only");
        }
        int cells = 0;
        synchronized (s) {
            for (JsonNode d : body.path("data")) {
                Range r = Range.parse(d.path("range").asText(), s);
                int row = r.firstRow;
                for (JsonNode values : d.path("values")) {
                    int c = r.firstColumn;
                    for (JsonNode v : values) {
                        if (row >= r.sheet.rowCount || c >= r.sheet.columnCount) {
                            throw new BadRequest("Range (" + d.path("range").asText() + ") exceeds grid limits. Max "
                                    + "rows: " + r.sheet.rowCount + ", max columns: " + r.sheet.columnCount);
                        }
                        if (!v.isNull()) {
                            if (v.isTextual() && v.asText().startsWith("=")) {
                                // RAW keeps it as text; the emulator records that it arrived as a string.
                                r.sheet.set(row, c, v.asText());
                            } else {
                                r.sheet.set(row, c, v.isNumber() ? number(v) : v.asText());
                            }
                            cells++;
                        }
                        c++;
                    }
                    row++;
                }
            }
        }
        send(x, 200, JSON.createObjectNode().put("spreadsheetId", id).put("totalUpdatedCells", cells));
    }

    private void batchUpdate(HttpExchange x, String id, JsonNode body) throws IOException {
        Spreadsheet s = spreadsheets.get(id);
        if (s == null) {
            error(x, 404, "Requested entity was not found.", "NOT_FOUND");
            return;
        }
        ObjectNode root = JSON.createObjectNode().put("spreadsheetId", id);
        synchronized (s) {
            // All or nothing: apply to a copy, keep it only if every request applied.
            List<Sheet> copy = new ArrayList<>();
            for (Sheet sh : s.sheets) {
                copy.add(copy(sh));
            }
            ArrayNode replies = JSON.createArrayNode();
            int i = 0;
            for (JsonNode req : body.path("requests")) {
                replies.add(apply(copy, req, i++));
            }
            long cells = copy.stream().mapToLong(sh -> (long) sh.rowCount * sh.columnCount).sum();
            if (cells > cellLimit) {
                throw new BadRequest("Invalid requests[" + (i - 1) + "]: This action would increase the number of cells "
                        + "in the workbook above the limit of " + cellLimit + " cells.");
            }
            s.sheets.clear();
            s.sheets.addAll(copy);
            root.set("replies", replies);
        }
        send(x, 200, root);
    }

    private JsonNode apply(List<Sheet> sheets, JsonNode req, int i) {
        ObjectNode reply = JSON.createObjectNode();
        if (req.has("addSheet")) {
            JsonNode p = req.path("addSheet").path("properties");
            String title = p.path("title").asText();
            if (sheets.stream().anyMatch(sh -> sh.title.equals(title))) {
                throw new BadRequest("Invalid requests[" + i + "].addSheet: A sheet with the name \"" + title
                        + "\" already exists. Please enter another name.");
            }
            Sheet sh = new Sheet();
            sh.sheetId = nextSheetId.incrementAndGet();
            sh.title = title;
            sh.rowCount = p.path("gridProperties").path("rowCount").asInt(1000);
            sh.columnCount = p.path("gridProperties").path("columnCount").asInt(26);
            sh.frozenRowCount = p.path("gridProperties").path("frozenRowCount").asInt(0);
            sh.index = p.has("index") ? Math.min(p.path("index").asInt(), sheets.size()) : sheets.size();
            sheets.add(sh.index, sh);
            reindex(sheets);
            ObjectNode props = reply.putObject("addSheet").putObject("properties");
            props.put("sheetId", sh.sheetId).put("title", sh.title).put("index", sh.index).put("sheetType", "GRID");
            props.putObject("gridProperties").put("rowCount", sh.rowCount).put("columnCount", sh.columnCount);
        } else if (req.has("deleteSheet")) {
            int sheetId = req.path("deleteSheet").path("sheetId").asInt();
            if (!sheets.removeIf(sh -> sh.sheetId == sheetId)) {
                throw new BadRequest("Invalid requests[" + i + "].deleteSheet: No sheet with id: " + sheetId);
            }
            reindex(sheets);
        } else if (req.has("updateSheetProperties")) {
            JsonNode u = req.path("updateSheetProperties");
            JsonNode p = u.path("properties");
            Sheet sh = byId(sheets, p.path("sheetId").asInt(), i, "updateSheetProperties");
            for (String f : u.path("fields").asText().split(",")) {
                switch (f.trim()) {
                    case "title" -> {
                        String title = p.path("title").asText();
                        if (sheets.stream().anyMatch(o -> o != sh && o.title.equals(title))) {
                            throw new BadRequest("Invalid requests[" + i + "].updateSheetProperties: A sheet with the "
                                    + "name \"" + title + "\" already exists. Please enter another name.");
                        }
                        sh.title = title;
                    }
                    case "index" -> {
                        sheets.remove(sh);
                        sheets.add(Math.min(p.path("index").asInt(), sheets.size()), sh);
                        reindex(sheets);
                    }
                    case "gridProperties.frozenRowCount" ->
                            sh.frozenRowCount = p.path("gridProperties").path("frozenRowCount").asInt();
                    case "gridProperties.rowCount" -> sh.rowCount = p.path("gridProperties").path("rowCount").asInt();
                    case "gridProperties.columnCount" ->
                            sh.columnCount = p.path("gridProperties").path("columnCount").asInt();
                    default -> throw new BadRequest("this emulator cannot update the field " + f);
                }
            }
        } else if (req.has("updateCells")) {
            JsonNode u = req.path("updateCells");
            JsonNode start = u.has("start") ? u.path("start") : u.path("range");
            Sheet sh = byId(sheets, start.path("sheetId").asInt(), i, "updateCells");
            int row = start.path(u.has("start") ? "rowIndex" : "startRowIndex").asInt();
            int col0 = start.path(u.has("start") ? "columnIndex" : "startColumnIndex").asInt();
            for (JsonNode rowData : u.path("rows")) {
                int c = col0;
                for (JsonNode cell : rowData.path("values")) {
                    if (row >= sh.rowCount || c >= sh.columnCount) {
                        throw new BadRequest("Invalid requests[" + i + "].updateCells: the range exceeds the grid");
                    }
                    JsonNode v = cell.path("userEnteredValue");
                    if (v.has("formulaValue")) {
                        throw new BadRequest("this emulator refuses formulas: Tally never writes one");
                    }
                    if (v.has("stringValue")) {
                        sh.set(row, c, v.path("stringValue").asText());
                    } else if (v.has("numberValue")) {
                        sh.set(row, c, number(v.path("numberValue")));
                    } else if (v.has("boolValue")) {
                        sh.set(row, c, v.path("boolValue").asBoolean() ? "TRUE" : "FALSE");
                    } else if (!cell.has("userEnteredFormat") && !cell.has("dataValidation")) {
                        sh.set(row, c, "");
                    }
                    c++;
                }
                row++;
            }
        } else if (req.has("appendDimension")) {
            JsonNode a = req.path("appendDimension");
            Sheet sh = byId(sheets, a.path("sheetId").asInt(), i, "appendDimension");
            if ("ROWS".equals(a.path("dimension").asText())) {
                sh.rowCount += a.path("length").asInt();
            } else {
                sh.columnCount += a.path("length").asInt();
            }
        } else if (req.has("addConditionalFormatRule")) {
            JsonNode rule = req.path("addConditionalFormatRule").path("rule");
            byId(sheets, rule.path("ranges").path(0).path("sheetId").asInt(), i, "addConditionalFormatRule")
                    .conditionalFormats.add(rule);
        } else if (req.has("setDataValidation")) {
            JsonNode v = req.path("setDataValidation");
            byId(sheets, v.path("range").path("sheetId").asInt(), i, "setDataValidation").validations.add(v);
        } else if (req.has("repeatCell")) {
            JsonNode v = req.path("repeatCell");
            byId(sheets, v.path("range").path("sheetId").asInt(), i, "repeatCell").formats.add(v);
        } else {
            throw new BadRequest("Invalid requests[" + i + "]: this emulator does not serve " + req.fieldNames().next());
        }
        return reply;
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private synchronized Fault nextFault() {
        return faults.poll();
    }

    private boolean admitRead(HttpExchange x) throws IOException {
        long now = System.nanoTime();
        synchronized (reads) {
            while (!reads.isEmpty() && now - reads.peekFirst() >= quotaWindowNanos) {
                reads.pollFirst();
            }
            if (reads.size() >= readQuota) {
                quotaRefusals.incrementAndGet();
                error(x, 429, quotaMessage(), "RESOURCE_EXHAUSTED");
                return false;
            }
            reads.addLast(now);
            maxReadsInAWindow = Math.max(maxReadsInAWindow, reads.size());
        }
        return true;
    }

    private static String quotaMessage() {
        return "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of "
                + "service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.";
    }

    private void count(String kind) {
        calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Sheet byId(List<Sheet> sheets, int id, int i, String what) {
        return sheets.stream().filter(s -> s.sheetId == id).findFirst()
                .orElseThrow(() -> new BadRequest("Invalid requests[" + i + "]." + what + ": No grid with id: " + id));
    }

    private static void reindex(List<Sheet> sheets) {
        for (int k = 0; k < sheets.size(); k++) {
            sheets.get(k).index = k;
        }
    }

    private static Sheet copy(Sheet s) {
        Sheet c = new Sheet();
        c.sheetId = s.sheetId;
        c.title = s.title;
        c.index = s.index;
        c.rowCount = s.rowCount;
        c.columnCount = s.columnCount;
        c.frozenRowCount = s.frozenRowCount;
        for (List<String> r : s.cells) {
            c.cells.add(new ArrayList<>(r));
        }
        c.conditionalFormats.addAll(s.conditionalFormats);
        c.validations.addAll(s.validations);
        c.formats.addAll(s.formats);
        return c;
    }

    private static String number(JsonNode n) {
        double d = n.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static List<String> trim(List<String> cells) {
        int n = cells.size();
        while (n > 0 && (cells.get(n - 1) == null || cells.get(n - 1).isEmpty())) {
            n--;
        }
        return new ArrayList<>(cells.subList(0, n));
    }

    private static String a1(String title, int firstRow, int firstColumn, int lastRow, int lastColumn) {
        return "'" + title.replace("'", "''") + "'!" + column(firstColumn + 1) + (firstRow + 1) + ":"
                + column(lastColumn + 1) + (lastRow + 1);
    }

    private static String column(int n) {
        StringBuilder sb = new StringBuilder();
        for (int c = n; c > 0; c = (c - 1) / 26) {
            sb.insert(0, (char) ('A' + (c - 1) % 26));
        }
        return sb.toString();
    }

    /** An A1 range: a sheet, then 0-based inclusive bounds; an open end reaches the grid's edge. */
    private record Range(Sheet sheet, int firstRow, int firstColumn, int lastRow, int lastColumn) {
        private static final Pattern CELL = Pattern.compile("([A-Z]*)(\\d*)");

        static Range parse(String a1, Spreadsheet s) {
            int bang = a1.lastIndexOf('!');
            String title = bang < 0 ? a1 : a1.substring(0, bang);
            if (title.startsWith("'") && title.endsWith("'") && title.length() >= 2) {
                title = title.substring(1, title.length() - 1).replace("''", "'");
            }
            String name = title;
            Sheet sheet = s.sheets.stream().filter(x -> x.title.equals(name)).findFirst()
                    .orElseThrow(() -> new BadRequest("Unable to parse range: " + a1));
            if (bang < 0) {
                return new Range(sheet, 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE);
            }
            String[] ends = a1.substring(bang + 1).split(":");
            int[] from = cell(ends[0], 0, a1);
            int[] to = ends.length > 1 ? cell(ends[1], Integer.MAX_VALUE, a1) : from;
            return new Range(sheet, from[0], from[1], to[0], to[1]);
        }

        private static int[] cell(String text, int open, String a1) {
            Matcher m = CELL.matcher(text);
            if (!m.matches() || text.isEmpty()) {
                throw new BadRequest("Unable to parse range: " + a1);
            }
            int col = open;
            if (!m.group(1).isEmpty()) {
                col = 0;
                for (char ch : m.group(1).toCharArray()) {
                    col = col * 26 + (ch - 'A' + 1);
                }
                col--;
            }
            int row = m.group(2).isEmpty() ? open : Integer.parseInt(m.group(2)) - 1;
            return new int[] {row, col};
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, key -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] body(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            byte[] raw = in.readAllBytes();
            if ("gzip".equalsIgnoreCase(x.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    return gz.readAllBytes();
                }
            }
            return raw;
        }
    }

    private static void error(HttpExchange x, int code, String message, String status) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", code).put("message", message).put("status", status);
        send(x, code, root);
    }

    private static void send(HttpExchange x, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
