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
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
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

    /** A fault to answer one request with. */
    public sealed interface Fault permits Status, Slow, Drop, DropAfter {}

    public record Status(int code) implements Fault {}

    public record Slow(Duration delay) implements Fault {}

    public record Drop() implements Fault {}

    /** Applies the request, then closes the connection without an answer: the client cannot tell it applied. */
    public record DropAfter() implements Fault {}

    /** What a cell holds: its text as displayed, whether it is a number, and the formula that made it, if any. */
    record Value(String text, boolean number, String formula) {
        static final Value EMPTY = new Value("", false, null);

        static Value text(String t) {
            return t == null || t.isEmpty() ? EMPTY : new Value(t, false, null);
        }
    }

    /** A protected range: a block of a sheet that only its editors (and the spreadsheet's owner) may change. */
    record Protection(int id, int startRow, int endRow, int startColumn, int endColumn, List<String> editors) {
        boolean covers(int row, int column) {
            return row >= startRow && row < endRow && column >= startColumn && column < endColumn;
        }
    }

    /** One sheet: its id, title, grid size and cells (row-major, ragged). */
    public static final class Sheet {
        int sheetId;
        String title;
        int index;
        int rowCount;
        int columnCount;
        int frozenRowCount;
        int frozenColumnCount;
        boolean hidden;
        final List<List<Value>> cells = new ArrayList<>();
        final List<Protection> protections = new ArrayList<>();
        final List<ObjectNode> metadata = new ArrayList<>();
        final List<JsonNode> conditionalFormats = new ArrayList<>();
        final List<JsonNode> validations = new ArrayList<>();
        final List<JsonNode> formats = new ArrayList<>();
        /** The link format of cells written with one ({@code userEnteredFormat.textFormat.link.uri}), by (row, column). */
        final Map<List<Integer>, String> links = new HashMap<>();

        public String title() {
            return title;
        }

        public int rowCount() {
            return rowCount;
        }

        public int frozenRowCount() {
            return frozenRowCount;
        }

        public boolean hidden() {
            return hidden;
        }

        public int sheetIdForTests() {
            return sheetId;
        }

        /** The 0-based column whose cell in {@code headerRow} reads {@code name}. */
        public int column(int headerRow, String name) {
            for (int c = 0; c < columnCount; c++) {
                if (cell(headerRow, c).equals(name)) {
                    return c;
                }
            }
            throw new AssertionError("no column " + name + " in row " + (headerRow + 1) + " of " + title);
        }

        /** The 0-based row of a (date, officer) key below the two header rows, or -1. */
        public int rowOf(String date, String officer) {
            for (int r = 2; r < rowCount; r++) {
                if (cell(r, 0).equals(date) && cell(r, 1).equals(officer)) {
                    return r;
                }
            }
            return -1;
        }

        /** The link of cell (row, column), 0-based, or null when it has none. */
        public String link(int row, int column) {
            return links.get(List.of(row, column));
        }

        /** The protected ranges now on the sheet. */
        public int protectedRanges() {
            return protections.size();
        }

        /** The formula of cell (row, column), 0-based, as an analyst typed it, or null. */
        public String formula(int row, int column) {
            if (row >= cells.size() || column >= cells.get(row).size()) {
                return null;
            }
            return cells.get(row).get(column).formula();
        }

        public List<JsonNode> conditionalFormats() {
            return conditionalFormats;
        }

        public List<JsonNode> validations() {
            return validations;
        }

        /** Cell (row, column), 0-based, as displayed, or "" when empty. */
        public String cell(int row, int column) {
            if (row >= cells.size() || column >= cells.get(row).size()) {
                return "";
            }
            return cells.get(row).get(column).text();
        }

        /** The rows as a reader sees them: trailing empty cells and rows trimmed. */
        public List<List<String>> values() {
            List<List<String>> out = new ArrayList<>();
            for (List<Value> r : cells) {
                out.add(trim(r.stream().map(Value::text).toList()));
            }
            while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        }

        Value value(int row, int column) {
            if (row >= cells.size() || column >= cells.get(row).size()) {
                return Value.EMPTY;
            }
            return cells.get(row).get(column);
        }

        void set(int row, int column, String value) {
            set(row, column, Value.text(value));
        }

        void set(int row, int column, Value value) {
            while (cells.size() <= row) {
                cells.add(new ArrayList<>());
            }
            List<Value> r = cells.get(row);
            while (r.size() <= column) {
                r.add(Value.EMPTY);
            }
            r.set(column, value == null ? Value.EMPTY : value);
        }

        /** Whether {@code user} may change cell (row, column): the owner always may (as in Google Sheets). */
        boolean mayEdit(String user, String owner, int row, int column) {
            if (user.equals(owner)) {
                return true;
            }
            for (Protection p : protections) {
                if (p.covers(row, column) && !p.editors().contains(user)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** An analyst's edit refused as Google Sheets refuses it: the cell is protected. */
    public static final class ProtectedCellException extends RuntimeException {
        ProtectedCellException(String message) {
            super(message);
        }
    }

    /** The spreadsheet's owner, who may edit every cell, protected or not. */
    public static final String OWNER = "owner@trader.example";
    /** An analyst with edit access who is not the owner. */
    public static final String ANALYST = "analyst@trader.example";

    /** Overwrites one cell (0-based), as an analyst (not the owner) typing would. */
    public void type(String spreadsheetId, String sheet, int row, int column, String value) {
        type(spreadsheetId, sheet, row, column, value, ANALYST);
    }

    /**
     * Overwrites one cell (0-based) as {@code user} typing would: text starting with {@code =} is a formula, as
     * in the Sheets UI. Below the grid, rows are added first. A protected cell refuses anyone but its editors
     * and the owner, with {@link ProtectedCellException}.
     */
    public void type(String spreadsheetId, String sheet, int row, int column, String value, String user) {
        Spreadsheet s = spreadsheets.get(spreadsheetId);
        synchronized (s) {
            Sheet sh = s.sheet(sheet);
            if (!sh.mayEdit(user, OWNER, row, column)) {
                throw new ProtectedCellException(PROTECTED);
            }
            sh.rowCount = Math.max(sh.rowCount, row + 1);
            sh.set(row, column, userEntered(value));
        }
    }

    /**
     * Types {@code value} into column {@code column} (0-based) of the first row of sheet {@code sheet} whose cells
     * (as displayed) match {@code row}, all at once, as a person who finds a row and types in it; false when the
     * sheet or the row is not there. A protected cell refuses with {@link ProtectedCellException}.
     */
    public boolean typeWhere(
            String spreadsheetId, String sheet, Predicate<List<String>> row, int column, String value, String user) {
        Spreadsheet s = spreadsheets.get(spreadsheetId);
        synchronized (s) {
            Sheet sh = s.sheets.stream()
                    .filter(x -> x.title.equals(sheet))
                    .findFirst()
                    .orElse(null);
            if (sh == null) {
                return false;
            }
            for (int r = 0; r < sh.cells.size(); r++) {
                if (row.test(sh.cells.get(r).stream().map(Value::text).toList())) {
                    type(spreadsheetId, sheet, r, column, value, user);
                    return true;
                }
            }
            return false;
        }
    }

    /** The next write whose body contains {@code marker} is applied, and its answer lost. */
    public void loseAnswerTo(String marker) {
        this.loseAnswerTo = marker;
    }

    /** Copies row {@code from} onto row {@code to} (0-based, every cell), as a copy and paste of a whole row. */
    public void copyRow(String spreadsheetId, String sheet, int from, int to) {
        Spreadsheet s = spreadsheets.get(spreadsheetId);
        synchronized (s) {
            Sheet sh = s.sheet(sheet);
            sh.rowCount = Math.max(sh.rowCount, to + 1);
            List<Value> src = from < sh.cells.size() ? new ArrayList<>(sh.cells.get(from)) : List.of();
            for (int c = 0; c < Math.max(src.size(), sh.columnCount); c++) {
                sh.set(to, c, c < src.size() ? src.get(c) : Value.EMPTY);
            }
        }
    }

    /** Renames a sheet, as an analyst would. */
    public void rename(String spreadsheetId, String sheet, String title) {
        Spreadsheet s = spreadsheets.get(spreadsheetId);
        synchronized (s) {
            s.sheet(sheet).title = title;
        }
    }

    /**
     * Re-orders a sheet's rows below {@code headerRows} with {@code order}, as an analyst sorting would; refused,
     * as Sheets refuses it, when a protected cell would move.
     */
    public void reorder(String spreadsheetId, String sheet, int headerRows, Comparator<List<String>> order) {
        Spreadsheet s = spreadsheets.get(spreadsheetId);
        synchronized (s) {
            Sheet sh = s.sheet(sheet);
            for (Protection p : sh.protections) {
                if (p.endRow() > headerRows && !p.editors().contains(ANALYST)) {
                    throw new ProtectedCellException(PROTECTED);
                }
            }
            List<List<Value>> body =
                    new ArrayList<>(sh.cells.subList(Math.min(headerRows, sh.cells.size()), sh.cells.size()));
            body.sort((a, b) -> order.compare(
                    a.stream().map(Value::text).toList(),
                    b.stream().map(Value::text).toList()));
            for (int k = 0; k < body.size(); k++) {
                sh.cells.set(headerRows + k, body.get(k));
            }
        }
    }

    private static final String PROTECTED = "You are trying to edit a protected cell or object. Please contact the "
            + "spreadsheet owner to remove protection if you need to edit.";

    /** What typing {@code text} into a cell gives: a formula, a number, or text. */
    static Value userEntered(String text) {
        if (text == null || text.isEmpty()) {
            return Value.EMPTY;
        }
        if (text.startsWith("=") && text.length() > 1) {
            return new Value(display(text), false, text);
        }
        if (text.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            return new Value(number(Double.parseDouble(text)), true, null);
        }
        return Value.text(text);
    }

    /** How the emulator shows a formula: HYPERLINK shows its label; any other shows its own text. */
    private static String display(String formula) {
        Matcher m = Pattern.compile("(?i)=HYPERLINK\\(\\s*\"[^\"]*\"\\s*(?:[,;]\\s*\"([^\"]*)\")?\\s*\\)")
                .matcher(formula);
        if (m.matches()) {
            return m.group(1) == null ? formula : m.group(1);
        }
        return formula;
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
                return sheets.stream()
                        .filter(s -> s.title.equals(title))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no sheet " + title));
            }
        }

        long cells() {
            return sheets.stream()
                    .mapToLong(s -> (long) s.rowCount * s.columnCount)
                    .sum();
        }
    }

    private final HttpServer server;
    private final Map<String, Spreadsheet> spreadsheets = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Long> reads = new ArrayDeque<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger nextSheetId = new AtomicInteger(1000);
    private final AtomicInteger nextId = new AtomicInteger(5000);
    private final List<Integer> writeBytes = Collections.synchronizedList(new ArrayList<>());
    private volatile int readQuota = Integer.MAX_VALUE;
    private volatile long quotaWindowNanos = Duration.ofMinutes(1).toNanos();
    private volatile int maxReadsInAWindow;
    private volatile long cellLimit = 10_000_000;
    private volatile int maxRequestBytes = MAX_REQUEST_BYTES;
    private volatile Duration writeDelay = Duration.ZERO;
    private volatile String loseAnswerTo;
    private final AtomicInteger quotaRefusals = new AtomicInteger();

    /** The most characters a cell holds (Google: "Your input contains more than the maximum of 50000 characters"). */
    public static final int CELL_CHARACTERS = 50_000;
    /**
     * The largest request body served. Google recommends at most 2 MB a request; this emulator refuses more, so
     * that a client that would rely on larger ones fails here rather than in production.
     */
    public static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

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
    public Spreadsheet addSheet(
            String spreadsheetId, String title, List<List<String>> rows, int rowCount, int columnCount) {
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

    /** Refuses request bodies over {@code bytes} (default {@link #MAX_REQUEST_BYTES}). */
    public void maxRequestBytes(int bytes) {
        this.maxRequestBytes = bytes;
    }

    /** Holds every write request this long before applying it (outside the spreadsheet's lock: people type on). */
    public void writeDelay(Duration delay) {
        this.writeDelay = delay;
    }

    /** The body size of every write request served, in order. */
    public List<Integer> writeBytes() {
        synchronized (writeBytes) {
            return List.copyOf(writeBytes);
        }
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
            serve(x);
        }
    }

    /** Answers one exchange; the exchange stays open until the answer (or a refusal) is sent. */
    private void serve(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getRawPath();
            String method = x.getRequestMethod();
            if ("POST".equals(method)
                    && "GET".equalsIgnoreCase(x.getRequestHeaders().getFirst("X-HTTP-Method-Override"))) {
                method = "GET";
            }
            if (path.equals("/token")) {
                count("token");
                String user = issuer(new String(body(x), StandardCharsets.UTF_8));
                String token = "emulated-" + Integer.toHexString(user.hashCode()) + "-" + nextId.incrementAndGet();
                tokens.put(token, user);
                send(
                        x,
                        200,
                        JSON.createObjectNode()
                                .put("access_token", token)
                                .put("expires_in", 3599)
                                .put("token_type", "Bearer"));
                return;
            }
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String user = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
            if (user == null) {
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
                error(
                        x,
                        status.code(),
                        status.code() == 429 ? quotaMessage() : "Internal error encountered.",
                        status.code() == 429
                                ? "RESOURCE_EXHAUSTED"
                                : status.code() == 503 ? "UNAVAILABLE" : "INTERNAL");
                return;
            }
            Matcher m;
            if ("GET".equals(method) && (m = BATCH_GET.matcher(path)).matches()) {
                if (!admitRead(x)) {
                    return;
                }
                count("batchGet");
                String query = "POST".equals(x.getRequestMethod())
                        ? new String(body(x), StandardCharsets.UTF_8)
                        : x.getRequestURI().getRawQuery();
                batchGet(x, decode(m.group(1)), params(query));
            } else if ("POST".equals(method) && (m = VALUES_UPDATE.matcher(path)).matches()) {
                count("valuesBatchUpdate");
                JsonNode body = writeBody(x);
                valuesUpdate(x, decode(m.group(1)), body, user, fault instanceof DropAfter || lose(body));
            } else if ("POST".equals(method) && (m = BATCH_UPDATE.matcher(path)).matches()) {
                count("batchUpdate");
                JsonNode body = writeBody(x);
                batchUpdate(x, decode(m.group(1)), body, user, fault instanceof DropAfter || lose(body));
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
            error(
                    x,
                    e.code,
                    e.getMessage(),
                    e.code == 413 ? "INVALID_ARGUMENT" : e.code == 403 ? "PERMISSION_DENIED" : "INVALID_ARGUMENT");
        } catch (AnswerLost e) {
            count("dropped");
            // applied, but no answer: the client sees the connection end
        } catch (RuntimeException e) {
            error(x, 500, "Internal error encountered.", "INTERNAL");
            throw e;
        }
    }

    private synchronized boolean lose(JsonNode body) {
        String marker = loseAnswerTo;
        if (marker != null && body.toString().contains(marker)) {
            loseAnswerTo = null;
            return true;
        }
        return false;
    }

    /** A write's body, refused past the size limit; then the write waits {@link #writeDelay}. */
    private JsonNode writeBody(HttpExchange x) throws IOException {
        byte[] raw = body(x);
        writeBytes.add(raw.length);
        if (raw.length > maxRequestBytes) {
            throw new BadRequest(413, "Request payload size exceeds the limit: " + maxRequestBytes + " bytes.");
        }
        sleep(writeDelay);
        return JSON.readTree(raw);
    }

    /** The service account a token request is for: the {@code iss} claim of its JWT assertion. */
    private static String issuer(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("assertion=")) {
                String[] parts = decode(pair.substring("assertion=".length())).split("\\.");
                if (parts.length >= 2) {
                    try {
                        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
                        return claims.path("iss").asText("unknown");
                    } catch (IOException | IllegalArgumentException e) {
                        return "unknown";
                    }
                }
            }
        }
        return "unknown";
    }

    private void get(HttpExchange x, String id) throws IOException {
        Spreadsheet s = spreadsheets.get(id);
        if (s == null) {
            error(x, 404, "Requested entity was not found.", "NOT_FOUND");
            return;
        }
        ObjectNode root = JSON.createObjectNode().put("spreadsheetId", id);
        synchronized (s) {
            root.putObject("properties")
                    .put("title", "Spreadsheet " + id)
                    .put("locale", s.locale)
                    .put("timeZone", "Africa/Lagos");
            ArrayNode sheets = root.putArray("sheets");
            for (Sheet sh : s.sheets) {
                ObjectNode sheet = sheets.addObject();
                ObjectNode p = sheet.putObject("properties");
                p.put("sheetId", sh.sheetId)
                        .put("title", sh.title)
                        .put("index", sh.index)
                        .put("sheetType", "GRID");
                if (sh.hidden) {
                    p.put("hidden", true);
                }
                ObjectNode g = p.putObject("gridProperties")
                        .put("rowCount", sh.rowCount)
                        .put("columnCount", sh.columnCount);
                if (sh.frozenRowCount > 0) {
                    g.put("frozenRowCount", sh.frozenRowCount);
                }
                if (sh.frozenColumnCount > 0) {
                    g.put("frozenColumnCount", sh.frozenColumnCount);
                }
                if (!sh.metadata.isEmpty()) {
                    ArrayNode md = sheet.putArray("developerMetadata");
                    sh.metadata.forEach(md::add);
                }
                if (!sh.protections.isEmpty()) {
                    ArrayNode pr = sheet.putArray("protectedRanges");
                    for (Protection pt : sh.protections) {
                        ObjectNode o = pr.addObject().put("protectedRangeId", pt.id());
                        o.putObject("range")
                                .put("sheetId", sh.sheetId)
                                .put("startRowIndex", pt.startRow())
                                .put("endRowIndex", pt.endRow())
                                .put("startColumnIndex", pt.startColumn())
                                .put("endColumnIndex", pt.endColumn());
                        ArrayNode users = o.putObject("editors").putArray("users");
                        pt.editors().forEach(users::add);
                    }
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
        String render = params.getOrDefault("valueRenderOption", List.of("FORMATTED_VALUE"))
                .get(0);
        boolean formulas = "FORMULA".equals(render);
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
                List<List<Value>> rows = new ArrayList<>();
                for (int row = r.firstRow; row <= lastRow; row++) {
                    List<Value> cells = new ArrayList<>();
                    for (int c = r.firstColumn; c <= lastColumn; c++) {
                        cells.add(r.sheet.value(row, c));
                    }
                    int n = cells.size();
                    while (n > 0
                            && cells.get(n - 1).text().isEmpty()
                            && cells.get(n - 1).formula() == null) {
                        n--;
                    }
                    rows.add(new ArrayList<>(cells.subList(0, n)));
                }
                while (!rows.isEmpty() && rows.get(rows.size() - 1).isEmpty()) {
                    rows.remove(rows.size() - 1);
                }
                if (!rows.isEmpty()) {
                    ArrayNode values = vr.putArray("values");
                    for (List<Value> row : rows) {
                        ArrayNode a = values.addArray();
                        for (Value v : row) {
                            if (formulas && v.formula() != null) {
                                a.add(v.formula());
                            } else if (formulas && v.number()) {
                                a.add(new BigDecimal(v.text()));
                            } else {
                                a.add(v.text());
                            }
                        }
                    }
                }
            }
        }
        send(x, 200, root);
    }

    private void valuesUpdate(HttpExchange x, String id, JsonNode body, String user, boolean loseAnswer)
            throws IOException {
        Spreadsheet s = spreadsheets.get(id);
        if (s == null) {
            error(x, 404, "Requested entity was not found.", "NOT_FOUND");
            return;
        }
        String input = body.path("valueInputOption").asText();
        if (!"RAW".equals(input) && !"USER_ENTERED".equals(input)) {
            throw new BadRequest("Invalid value at 'value_input_option' (" + input + ")");
        }
        int cells = 0;
        synchronized (s) {
            // All ranges apply, or none.
            List<Runnable> writes = new ArrayList<>();
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
                            checkLength(v.asText(), "data");
                            if (!r.sheet.mayEdit(user, OWNER, row, c)) {
                                throw new BadRequest(403, PROTECTED);
                            }
                            Value value = "USER_ENTERED".equals(input)
                                    ? (v.isNumber() ? userEntered(number(v)) : userEntered(v.asText()))
                                    : v.isNumber() ? new Value(number(v), true, null) : Value.text(v.asText());
                            Sheet sheet = r.sheet;
                            int rr = row;
                            int cc = c;
                            writes.add(() -> sheet.set(rr, cc, value));
                            cells++;
                        }
                        c++;
                    }
                    row++;
                }
            }
            writes.forEach(Runnable::run);
        }
        if (loseAnswer) {
            throw new AnswerLost();
        }
        send(x, 200, JSON.createObjectNode().put("spreadsheetId", id).put("totalUpdatedCells", cells));
    }

    private void batchUpdate(HttpExchange x, String id, JsonNode body, String user, boolean loseAnswer)
            throws IOException {
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
                replies.add(apply(copy, req, i++, user));
            }
            long cells = copy.stream()
                    .mapToLong(sh -> (long) sh.rowCount * sh.columnCount)
                    .sum();
            if (cells > cellLimit) {
                throw new BadRequest(
                        "Invalid requests[" + (i - 1) + "]: This action would increase the number of cells "
                                + "in the workbook above the limit of " + cellLimit + " cells.");
            }
            if (copy.stream().allMatch(sh -> sh.hidden)) {
                throw new BadRequest("Invalid requests[" + (i - 1) + "]: You can't remove all the visible sheets in a "
                        + "document.");
            }
            s.sheets.clear();
            s.sheets.addAll(copy);
            root.set("replies", replies);
        }
        if (loseAnswer) {
            throw new AnswerLost();
        }
        send(x, 200, root);
    }

    private JsonNode apply(List<Sheet> sheets, JsonNode req, int i, String user) {
        ObjectNode reply = JSON.createObjectNode();
        if (req.has("addSheet")) {
            JsonNode p = req.path("addSheet").path("properties");
            String title = p.path("title").asText();
            if (sheets.stream().anyMatch(sh -> sh.title.equals(title))) {
                throw new BadRequest("Invalid requests[" + i + "].addSheet: A sheet with the name \"" + title
                        + "\" already exists. Please enter another name.");
            }
            Sheet sh = new Sheet();
            if (p.has("sheetId")) {
                int wanted = p.path("sheetId").asInt();
                if (wanted < 0 || sheets.stream().anyMatch(o -> o.sheetId == wanted)) {
                    throw new BadRequest(
                            "Invalid requests[" + i + "].addSheet: Sheet with id " + wanted + " already exists.");
                }
                sh.sheetId = wanted;
            } else {
                sh.sheetId = nextSheetId.incrementAndGet();
            }
            sh.title = title;
            sh.rowCount = p.path("gridProperties").path("rowCount").asInt(1000);
            sh.columnCount = p.path("gridProperties").path("columnCount").asInt(26);
            sh.frozenRowCount = p.path("gridProperties").path("frozenRowCount").asInt(0);
            sh.frozenColumnCount =
                    p.path("gridProperties").path("frozenColumnCount").asInt(0);
            sh.hidden = p.path("hidden").asBoolean(false);
            checkFrozen(sh, i, "addSheet");
            sh.index = p.has("index") ? Math.min(p.path("index").asInt(), sheets.size()) : sheets.size();
            sheets.add(sh.index, sh);
            reindex(sheets);
            ObjectNode props = reply.putObject("addSheet").putObject("properties");
            props.put("sheetId", sh.sheetId)
                    .put("title", sh.title)
                    .put("index", sh.index)
                    .put("sheetType", "GRID");
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
                    case "hidden" -> sh.hidden = p.path("hidden").asBoolean(false);
                    case "gridProperties.frozenRowCount" ->
                        sh.frozenRowCount =
                                p.path("gridProperties").path("frozenRowCount").asInt();
                    case "gridProperties.frozenColumnCount" ->
                        sh.frozenColumnCount = p.path("gridProperties")
                                .path("frozenColumnCount")
                                .asInt();
                    case "gridProperties.rowCount" ->
                        sh.rowCount = p.path("gridProperties").path("rowCount").asInt();
                    case "gridProperties.columnCount" ->
                        sh.columnCount =
                                p.path("gridProperties").path("columnCount").asInt();
                    default -> throw new BadRequest("this emulator cannot update the field " + f);
                }
            }
            checkFrozen(sh, i, "updateSheetProperties");
        } else if (req.has("updateCells")) {
            JsonNode u = req.path("updateCells");
            JsonNode start = u.has("start") ? u.path("start") : u.path("range");
            Sheet sh = byId(sheets, start.path("sheetId").asInt(), i, "updateCells");
            int row = start.path(u.has("start") ? "rowIndex" : "startRowIndex").asInt();
            int col0 = start.path(u.has("start") ? "columnIndex" : "startColumnIndex")
                    .asInt();
            for (JsonNode rowData : u.path("rows")) {
                int c = col0;
                for (JsonNode cell : rowData.path("values")) {
                    if (row >= sh.rowCount || c >= sh.columnCount) {
                        throw new BadRequest("Invalid requests[" + i + "].updateCells: the range exceeds the grid");
                    }
                    if (!sh.mayEdit(user, OWNER, row, c)) {
                        throw new BadRequest(403, PROTECTED);
                    }
                    JsonNode v = cell.path("userEnteredValue");
                    if (v.has("formulaValue")) {
                        throw new BadRequest("this emulator refuses formulas: Tally never writes one");
                    }
                    if (v.has("stringValue")) {
                        checkLength(v.path("stringValue").asText(), "requests[" + i + "].updateCells");
                        sh.set(row, c, v.path("stringValue").asText());
                    } else if (v.has("numberValue")) {
                        sh.set(row, c, new Value(number(v.path("numberValue")), true, null));
                    } else if (v.has("boolValue")) {
                        sh.set(row, c, v.path("boolValue").asBoolean() ? "TRUE" : "FALSE");
                    } else if (!cell.has("userEnteredFormat") && !cell.has("dataValidation")) {
                        sh.set(row, c, "");
                    }
                    JsonNode link =
                            cell.path("userEnteredFormat").path("textFormat").path("link");
                    if (u.path("fields").asText().contains("userEnteredFormat.textFormat.link")) {
                        if (link.has("uri")) {
                            sh.links.put(List.of(row, c), link.path("uri").asText());
                        } else {
                            sh.links.remove(List.of(row, c));
                        }
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
                    .conditionalFormats
                    .add(rule);
        } else if (req.has("setDataValidation")) {
            JsonNode v = req.path("setDataValidation");
            byId(sheets, v.path("range").path("sheetId").asInt(), i, "setDataValidation")
                    .validations
                    .add(v);
        } else if (req.has("repeatCell")) {
            JsonNode v = req.path("repeatCell");
            byId(sheets, v.path("range").path("sheetId").asInt(), i, "repeatCell")
                    .formats
                    .add(v);
        } else if (req.has("addProtectedRange")) {
            JsonNode pr = req.path("addProtectedRange").path("protectedRange");
            JsonNode range = pr.path("range");
            Sheet sh = byId(sheets, range.path("sheetId").asInt(), i, "addProtectedRange");
            if (pr.path("warningOnly").asBoolean(false) && pr.has("editors")) {
                throw new BadRequest("Invalid requests[" + i + "].addProtectedRange: Editors are not supported with "
                        + "warningOnly protection.");
            }
            List<String> editors = new ArrayList<>();
            pr.path("editors").path("users").forEach(e -> editors.add(e.asText()));
            if (!editors.contains(user)) {
                editors.add(user); // the one who protects a range can always edit it
            }
            int pid = pr.has("protectedRangeId") ? pr.path("protectedRangeId").asInt() : nextId.incrementAndGet();
            Protection p = new Protection(
                    pid,
                    range.path("startRowIndex").asInt(0),
                    range.has("endRowIndex") ? range.path("endRowIndex").asInt() : Integer.MAX_VALUE,
                    range.path("startColumnIndex").asInt(0),
                    range.has("endColumnIndex") ? range.path("endColumnIndex").asInt() : Integer.MAX_VALUE,
                    List.copyOf(editors));
            sh.protections.add(p);
            reply.putObject("addProtectedRange").putObject("protectedRange").put("protectedRangeId", pid);
        } else if (req.has("deleteProtectedRange")) {
            int pid = req.path("deleteProtectedRange").path("protectedRangeId").asInt();
            boolean gone = false;
            for (Sheet sh : sheets) {
                for (Protection p : List.copyOf(sh.protections)) {
                    if (p.id() == pid) {
                        if (!p.editors().contains(user)) {
                            throw new BadRequest(403, PROTECTED);
                        }
                        gone |= sh.protections.remove(p);
                    }
                }
            }
            if (!gone) {
                throw new BadRequest(
                        "Invalid requests[" + i + "].deleteProtectedRange: No protected range with id: " + pid);
            }
        } else if (req.has("createDeveloperMetadata")) {
            JsonNode md = req.path("createDeveloperMetadata").path("developerMetadata");
            if (!md.hasNonNull("metadataKey") || !md.hasNonNull("visibility")) {
                throw new BadRequest("Invalid requests[" + i + "].createDeveloperMetadata: metadataKey and visibility "
                        + "are required");
            }
            Sheet sh = byId(sheets, md.path("location").path("sheetId").asInt(), i, "createDeveloperMetadata");
            int mid = md.has("metadataId") ? md.path("metadataId").asInt() : nextId.incrementAndGet();
            if (sheets.stream()
                    .flatMap(o -> o.metadata.stream())
                    .anyMatch(o -> o.path("metadataId").asInt() == mid)) {
                throw new BadRequest("Invalid requests[" + i + "].createDeveloperMetadata: Metadata with id " + mid
                        + " already exists.");
            }
            ObjectNode stored = ((ObjectNode) md.deepCopy()).put("metadataId", mid);
            stored.putObject("location").put("locationType", "SHEET").put("sheetId", sh.sheetId);
            sh.metadata.add(stored);
            reply.putObject("createDeveloperMetadata").set("developerMetadata", stored);
        } else if (req.has("updateDeveloperMetadata")) {
            JsonNode u = req.path("updateDeveloperMetadata");
            int mid = u.path("dataFilters")
                    .path(0)
                    .path("developerMetadataLookup")
                    .path("metadataId")
                    .asInt(-1);
            ObjectNode found = sheets.stream()
                    .flatMap(o -> o.metadata.stream())
                    .filter(o -> o.path("metadataId").asInt() == mid)
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                throw new BadRequest("Invalid requests[" + i + "].updateDeveloperMetadata: No developer metadata "
                        + "matches the data filters.");
            }
            for (String f : u.path("fields").asText().split(",")) {
                if (!"metadataValue".equals(f.trim())) {
                    throw new BadRequest("this emulator cannot update the metadata field " + f);
                }
                found.put(
                        "metadataValue",
                        u.path("developerMetadata").path("metadataValue").asText());
            }
            reply.putObject("updateDeveloperMetadata")
                    .putArray("developerMetadata")
                    .add(found);
        } else {
            throw new BadRequest("Invalid requests[" + i + "]: this emulator does not serve "
                    + req.fieldNames().next());
        }
        return reply;
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A tab needs at least one row and one column below and right of the frozen ones. */
    private static void checkFrozen(Sheet sh, int i, String what) {
        if (sh.frozenRowCount >= sh.rowCount && sh.frozenRowCount > 0) {
            throw new BadRequest(
                    "Invalid requests[" + i + "]." + what + ": You can't freeze all visible rows on the " + "sheet.");
        }
        if (sh.frozenColumnCount >= sh.columnCount && sh.frozenColumnCount > 0) {
            throw new BadRequest("Invalid requests[" + i + "]." + what + ": You can't freeze all visible columns on "
                    + "the sheet.");
        }
    }

    private static void checkLength(String text, String where) {
        if (text.length() > CELL_CHARACTERS) {
            throw new BadRequest("Invalid " + where + ": Your input contains more than the maximum of "
                    + CELL_CHARACTERS + " characters in a single cell.");
        }
    }

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
        return sheets.stream()
                .filter(s -> s.sheetId == id)
                .findFirst()
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
        c.frozenColumnCount = s.frozenColumnCount;
        c.hidden = s.hidden;
        for (List<Value> r : s.cells) {
            c.cells.add(new ArrayList<>(r));
        }
        c.conditionalFormats.addAll(s.conditionalFormats);
        c.validations.addAll(s.validations);
        c.formats.addAll(s.formats);
        c.links.putAll(s.links);
        c.protections.addAll(s.protections);
        s.metadata.forEach(m -> c.metadata.add(m.deepCopy()));
        return c;
    }

    private static String number(JsonNode n) {
        return number(n.asDouble());
    }

    private static String number(double d) {
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
            Sheet sheet = s.sheets.stream()
                    .filter(x -> x.title.equals(name))
                    .findFirst()
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
        final int code;

        BadRequest(String message) {
            this(400, message);
        }

        BadRequest(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** A request applied whose answer is never sent. */
    private static final class AnswerLost extends RuntimeException {}

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
