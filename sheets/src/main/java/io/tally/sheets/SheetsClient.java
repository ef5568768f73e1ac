package io.tally.sheets;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.SheetsScopes;
import com.google.api.services.sheets.v4.model.BatchGetValuesResponse;
import com.google.api.services.sheets.v4.model.BatchUpdateSpreadsheetRequest;
import com.google.api.services.sheets.v4.model.BatchUpdateSpreadsheetResponse;
import com.google.api.services.sheets.v4.model.BatchUpdateValuesRequest;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.Sheet;
import com.google.api.services.sheets.v4.model.Spreadsheet;
import com.google.api.services.sheets.v4.model.ValueRange;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * The Sheets v4 calls Tally makes, through Google's own client, paced under a request budget and retried
 * with truncated exponential backoff on 429, 5xx and dropped connections. Each retry is reported; when
 * retries run out, one {@link SheetsException} names the spreadsheet, the sheet and the range.
 */
public final class SheetsClient {
    /** Google's API root. */
    public static final URI GOOGLE = URI.create("https://sheets.googleapis.com/");

    /** Where a sheet is and how big its grid is. */
    public record SheetInfo(
            String spreadsheetId,
            String title,
            int sheetId,
            int rows,
            int columns,
            String locale,
            boolean hidden,
            List<Metadata> metadata) {
        public SheetInfo(String spreadsheetId, String title, int sheetId, int rows, int columns, String locale) {
            this(spreadsheetId, title, sheetId, rows, columns, locale, false, List.of());
        }

        /** The developer metadata stored under {@code key} on this sheet, if any. */
        public Optional<Metadata> metadata(String key) {
            return metadata.stream().filter(m -> key.equals(m.key())).findFirst();
        }
    }

    /** One developer metadata entry on a sheet. */
    public record Metadata(int id, String key, String value) {}

    /** How values are read: as displayed, or as typed (formulas as formulas, dates as displayed). */
    public enum Render {
        FORMATTED_VALUE,
        FORMULA
    }

    /** How written values are taken: as typed ({@code RAW}), or as if a person typed them ({@code USER_ENTERED}). */
    public enum Input {
        RAW,
        USER_ENTERED
    }

    /** How requests are paced and retried. */
    public record Policy(
            RequestPacer reads,
            RequestPacer writes,
            Backoff backoff,
            RandomGenerator random,
            RequestPacer.Clock clock) {}

    private final Sheets sheets;
    private final String account;
    private final Policy policy;
    private final BiConsumer<String, Map<String, Object>> log;

    /** @param account the service account's e-mail address, which the client acts as */
    public SheetsClient(Sheets sheets, String account, Policy policy, BiConsumer<String, Map<String, Object>> log) {
        this.sheets = sheets;
        this.account = account;
        this.policy = policy;
        this.log = log;
    }

    /** The service account's e-mail address: the one editor a protection by Tally leaves. */
    public String account() {
        return account;
    }

    /**
     * The real client on {@code root} with a service-account key: the key file's {@code token_uri} is
     * honoured. The client's own retries are off; this class retries.
     */
    public static Sheets client(URI root, InputStream serviceAccountKey, Duration timeout) throws IOException {
        GoogleCredentials credentials = ServiceAccountCredentials.fromStream(serviceAccountKey)
                .createScoped(List.of(SheetsScopes.SPREADSHEETS));
        HttpCredentialsAdapter auth = new HttpCredentialsAdapter(credentials);
        int millis = (int) timeout.toMillis();
        HttpRequestInitializer init = request -> {
            auth.initialize(request);
            request.setConnectTimeout(millis);
            request.setReadTimeout(millis);
        };
        String rootUrl = root.toString().endsWith("/") ? root.toString() : root + "/";
        return new Sheets.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), init)
                .setRootUrl(rootUrl)
                .setApplicationName("Tally")
                .build();
    }

    /** Every sheet (tab) of a spreadsheet, in order, with its grid size, whether it is hidden, and its metadata. */
    public List<SheetInfo> sheets(String spreadsheetId) {
        Spreadsheet s = call(policy.reads(), spreadsheetId, "(all)", "(metadata)", () -> sheets.spreadsheets()
                .get(spreadsheetId)
                .setFields("properties(locale,title),sheets(properties(sheetId,title,index,hidden,"
                        + "gridProperties(rowCount,columnCount,frozenRowCount)),developerMetadata(metadataId,"
                        + "metadataKey,metadataValue))")
                .execute());
        String locale = s.getProperties() == null || s.getProperties().getLocale() == null
                ? ""
                : s.getProperties().getLocale();
        if (s.getSheets() == null) {
            return List.of();
        }
        return s.getSheets().stream()
                .map(x -> {
                    var p = x.getProperties();
                    var g = p.getGridProperties();
                    List<Metadata> md = x.getDeveloperMetadata() == null
                            ? List.of()
                            : x.getDeveloperMetadata().stream()
                                    .map(m -> new Metadata(
                                            m.getMetadataId() == null ? 0 : m.getMetadataId(),
                                            m.getMetadataKey(),
                                            m.getMetadataValue() == null ? "" : m.getMetadataValue()))
                                    .toList();
                    return new SheetInfo(
                            spreadsheetId,
                            p.getTitle(),
                            p.getSheetId() == null ? 0 : p.getSheetId(),
                            g == null || g.getRowCount() == null ? 0 : g.getRowCount(),
                            g == null || g.getColumnCount() == null ? 0 : g.getColumnCount(),
                            locale,
                            Boolean.TRUE.equals(p.getHidden()),
                            md);
                })
                .toList();
    }

    /**
     * Every row of a sheet as displayed, read {@code chunkRows} at a time; blank rows in the middle are kept as
     * empty lists, so index {@code i} is row {@code i + 1}.
     */
    public List<List<Object>> readAll(SheetInfo sheet, int chunkRows) {
        return readAll(sheet, chunkRows, Render.FORMATTED_VALUE);
    }

    /** As {@link #readAll(SheetInfo, int)}, rendered as {@code render} says. */
    public List<List<Object>> readAll(SheetInfo sheet, int chunkRows, Render render) {
        List<List<Object>> rows = new ArrayList<>();
        int columns = Math.max(1, sheet.columns());
        for (int first = 1; first <= sheet.rows(); first += chunkRows) {
            int last = (int) Math.min(sheet.rows(), (long) first + chunkRows - 1);
            List<List<Object>> chunk =
                    read(sheet.spreadsheetId(), sheet.title(), A1.range(sheet.title(), first, last, columns), render);
            while (rows.size() < first - 1) {
                rows.add(List.of());
            }
            for (List<Object> r : chunk) {
                rows.add(r == null ? List.of() : r);
            }
        }
        return rows;
    }

    /**
     * Only some columns of a sheet (0-based), every row, {@code chunkRows} at a time, one request a chunk however
     * many columns: each row comes back as wide as the last column asked, the others empty. Reading a tab's keys
     * and notes this way costs a fraction of reading it whole.
     */
    public List<List<Object>> readColumns(SheetInfo sheet, List<Integer> columns, int chunkRows, Render render) {
        List<Integer> cols = columns.stream()
                .filter(c -> c >= 0 && c < sheet.columns())
                .distinct()
                .sorted()
                .toList();
        List<List<Object>> rows = new ArrayList<>();
        if (cols.isEmpty()) {
            return rows;
        }
        List<int[]> groups = new ArrayList<>();
        for (int c : cols) {
            if (!groups.isEmpty() && groups.get(groups.size() - 1)[1] == c - 1) {
                groups.get(groups.size() - 1)[1] = c;
            } else {
                groups.add(new int[] {c, c});
            }
        }
        int width = cols.get(cols.size() - 1) + 1;
        for (int first = 1; first <= sheet.rows(); first += chunkRows) {
            int last = (int) Math.min(sheet.rows(), (long) first + chunkRows - 1);
            List<String> ranges = new ArrayList<>();
            for (int[] g : groups) {
                ranges.add(
                        A1.quote(sheet.title()) + "!" + A1.column(g[0] + 1) + first + ":" + A1.column(g[1] + 1) + last);
            }
            BatchGetValuesResponse r =
                    call(policy.reads(), sheet.spreadsheetId(), sheet.title(), String.join(", ", ranges), () -> {
                        var get = sheets.spreadsheets()
                                .values()
                                .batchGet(sheet.spreadsheetId())
                                .setRanges(ranges)
                                .setValueRenderOption(render.name())
                                .setMajorDimension("ROWS");
                        if (render == Render.FORMULA) {
                            get.setDateTimeRenderOption("FORMATTED_STRING");
                        }
                        return get.execute();
                    });
            List<ValueRange> got = r.getValueRanges() == null ? List.of() : r.getValueRanges();
            for (int k = 0; k <= last - first; k++) {
                List<Object> row = new ArrayList<>(Collections.nCopies(width, (Object) ""));
                boolean any = false;
                for (int g = 0; g < groups.size() && g < got.size(); g++) {
                    List<List<Object>> values = got.get(g).getValues();
                    if (values != null && k < values.size() && values.get(k) != null) {
                        List<Object> cells = values.get(k);
                        for (int j = 0; j < cells.size(); j++) {
                            row.set(groups.get(g)[0] + j, cells.get(j));
                            any = true;
                        }
                    }
                }
                rows.add(any ? row : List.of());
            }
        }
        return rows;
    }

    /** The sheet called {@code title}, with its grid size and the spreadsheet's locale. */
    public SheetInfo sheet(String spreadsheetId, String title) {
        Spreadsheet s = call(policy.reads(), spreadsheetId, title, "(metadata)", () -> sheets.spreadsheets()
                .get(spreadsheetId)
                .setFields("properties(locale,title),sheets.properties(sheetId,title,index,"
                        + "gridProperties(rowCount,columnCount,frozenRowCount))")
                .execute());
        Optional<Sheet> sheet = s.getSheets() == null
                ? Optional.empty()
                : s.getSheets().stream()
                        .filter(x -> title.equals(x.getProperties().getTitle()))
                        .findFirst();
        if (sheet.isEmpty()) {
            List<String> titles = s.getSheets() == null
                    ? List.of()
                    : s.getSheets().stream()
                            .map(x -> x.getProperties().getTitle())
                            .toList();
            throw new SheetsException(
                    "spreadsheet " + spreadsheetId + " has no sheet '" + title + "' (it has: "
                            + String.join(", ", titles) + ")",
                    404,
                    null);
        }
        var p = sheet.get().getProperties();
        var g = p.getGridProperties();
        String locale = s.getProperties() == null || s.getProperties().getLocale() == null
                ? ""
                : s.getProperties().getLocale();
        return new SheetInfo(
                spreadsheetId,
                title,
                p.getSheetId() == null ? 0 : p.getSheetId(),
                g == null || g.getRowCount() == null ? 0 : g.getRowCount(),
                g == null || g.getColumnCount() == null ? 0 : g.getColumnCount(),
                locale);
    }

    /** The rows of an A1 range as displayed; trailing empty rows and cells are left out, as Sheets does. */
    public List<List<Object>> read(String spreadsheetId, String sheet, String range) {
        return read(spreadsheetId, sheet, range, Render.FORMATTED_VALUE);
    }

    /**
     * The rows of an A1 range; with {@link Render#FORMULA}, formulas come as typed and dates as displayed
     * ({@code dateTimeRenderOption=FORMATTED_STRING}), so they can be written back {@code USER_ENTERED} unchanged.
     */
    public List<List<Object>> read(String spreadsheetId, String sheet, String range, Render render) {
        BatchGetValuesResponse r = call(policy.reads(), spreadsheetId, sheet, range, () -> {
            var get = sheets.spreadsheets()
                    .values()
                    .batchGet(spreadsheetId)
                    .setRanges(List.of(range))
                    .setValueRenderOption(render.name())
                    .setMajorDimension("ROWS");
            if (render == Render.FORMULA) {
                get.setDateTimeRenderOption("FORMATTED_STRING");
            }
            return get.execute();
        });
        if (r.getValueRanges() == null
                || r.getValueRanges().isEmpty()
                || r.getValueRanges().get(0).getValues() == null) {
            return List.of();
        }
        return r.getValueRanges().get(0).getValues();
    }

    /** Several ranges in one request, in order; an empty range gives an empty list. */
    public List<List<List<Object>>> readAll(String spreadsheetId, String sheet, List<String> ranges) {
        BatchGetValuesResponse r =
                call(policy.reads(), spreadsheetId, sheet, String.join(", ", ranges), () -> sheets.spreadsheets()
                        .values()
                        .batchGet(spreadsheetId)
                        .setRanges(ranges)
                        .setValueRenderOption("FORMATTED_VALUE")
                        .setMajorDimension("ROWS")
                        .execute());
        List<ValueRange> got = r.getValueRanges() == null ? List.of() : r.getValueRanges();
        return IntStream.range(0, ranges.size())
                .mapToObj(i -> i < got.size() && got.get(i).getValues() != null
                        ? got.get(i).getValues()
                        : List.<List<Object>>of())
                .toList();
    }

    /** One {@code spreadsheets.batchUpdate}: every request applies, or none. */
    public BatchUpdateSpreadsheetResponse update(String spreadsheetId, String sheet, List<Request> requests) {
        return call(policy.writes(), spreadsheetId, sheet, requests.size() + " change(s)", () -> sheets.spreadsheets()
                .batchUpdate(spreadsheetId, new BatchUpdateSpreadsheetRequest().setRequests(requests))
                .execute());
    }

    /** Values written as typed ({@code RAW}: nothing is ever run as a formula). */
    public void writeValues(String spreadsheetId, String sheet, List<ValueRange> data) {
        writeValues(spreadsheetId, sheet, data, Input.RAW);
    }

    /** Values written as {@code input} says; every range applies, or none. */
    public void writeValues(String spreadsheetId, String sheet, List<ValueRange> data, Input input) {
        call(policy.writes(), spreadsheetId, sheet, data.size() + " range(s)", () -> sheets.spreadsheets()
                .values()
                .batchUpdate(
                        spreadsheetId,
                        new BatchUpdateValuesRequest()
                                .setValueInputOption(input.name())
                                .setData(data))
                .execute());
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T call(RequestPacer pacer, String spreadsheetId, String sheet, String range, Call<T> call) {
        Backoff backoff = policy.backoff();
        for (int attempt = 1; ; attempt++) {
            int status;
            String why;
            Exception failure;
            try {
                pacer.acquire();
                return call.run();
            } catch (GoogleJsonResponseException e) {
                status = e.getStatusCode();
                why = e.getDetails() != null && e.getDetails().getMessage() != null
                        ? e.getDetails().getMessage()
                        : e.getStatusMessage();
                failure = e;
                if (!retryable(status)) {
                    throw new SheetsException(
                            where(spreadsheetId, sheet, range) + ": Sheets answered " + status + " " + why,
                            status,
                            e,
                            attempt > 1);
                }
            } catch (HttpResponseException e) {
                status = e.getStatusCode();
                why = e.getStatusMessage();
                failure = e;
                if (!retryable(status)) {
                    throw new SheetsException(
                            where(spreadsheetId, sheet, range) + ": Sheets answered " + status + " " + why,
                            status,
                            e,
                            attempt > 1);
                }
            } catch (IOException e) {
                status = 0;
                why = e.toString();
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SheetsException(where(spreadsheetId, sheet, range) + ": interrupted", 0, e);
            }
            if (attempt >= backoff.attempts()) {
                throw new SheetsException(
                        where(spreadsheetId, sheet, range) + ": gave up after " + attempt
                                + " attempts; the last answer was " + (status == 0 ? why : status + " " + why),
                        status,
                        failure,
                        attempt > 1);
            }
            Duration wait = backoff.delay(attempt, policy.random());
            log.accept(
                    "sheets.retry",
                    Map.of(
                            "spreadsheet",
                            spreadsheetId,
                            "sheet",
                            sheet,
                            "range",
                            range,
                            "attempt",
                            attempt,
                            "status",
                            status,
                            "why",
                            why,
                            "waitMs",
                            wait.toMillis()));
            try {
                policy.clock().sleep(wait.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SheetsException(where(spreadsheetId, sheet, range) + ": interrupted", status, e);
            }
        }
    }

    /** 429 (quota), 408 and 5xx are worth another try; any other answer will not change. */
    public static boolean retryable(int status) {
        return status == 429 || status == 408 || status >= 500;
    }

    private static String where(String spreadsheetId, String sheet, String range) {
        return "spreadsheet " + spreadsheetId + ", sheet '" + sheet + "', range " + range;
    }
}
