package io.tally.functions.sheets;

import io.tally.core.DateOrder;
import io.tally.core.Tracker;
import io.tally.functions.Functions;
import io.tally.functions.obs.Telemetry;
import io.tally.functions.run.Json;
import io.tally.names.BucketKeys;
import io.tally.names.MetricNames;
import io.tally.sheets.SheetsClient;
import io.tally.storage.ObjectStore;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The scheduled export: both trackers from Google Sheets, in parallel, streamed by multipart upload to a staging
 * key under {@code exports/staging/}, where nothing starts a run. Only when both are complete are the changed ones
 * moved (copied) to {@code incoming/{tracker}/{sheet name}}, under {@link RunKeys#EXPORT_MOVING}, which names
 * what is moved: the planner waits until all of it has arrived, so one export starts exactly one run, on both new
 * trackers. A tracker whose content is unchanged since the last export is not moved, so unchanged sheets start no
 * new run. A failed export leaves {@code incoming/} as it was.
 */
public final class SheetsExport {
    static final String FUNCTION = Functions.SHEETS_EXPORT;

    /**
     * {@code exports/{tracker}.json}: what the last export of a tracker uploaded, and from where.
     *
     * @param sha256 the content's digest, to tell an unchanged sheet
     * @param key    where it went
     */
    public record Record(
            String sha256, String key, String spreadsheetId, int sheetId, String sheet, long rows, String exportedAt) {}

    /** What one tracker's export came to. */
    public record Result(String key, long rows, long bytes, boolean uploaded) {}

    /**
     * {@code exports/moving.json}: the keys an export is moving into {@code incoming/}, and when it began (to the
     * second, as S3 dates objects). A marker older than {@link #MOVE_STALE} was left by an export that died.
     */
    public record Moving(String exportId, String at, List<String> keys) {}

    public static final Duration MOVE_STALE = Duration.ofMinutes(15);

    private final SheetsConfig config;
    private final DateOrder dateOrder;
    private final ObjectStore store;
    private final Supplier<SheetsClient> client;
    private final Telemetry telemetry;

    public SheetsExport(
            SheetsConfig config,
            DateOrder dateOrder,
            ObjectStore store,
            Supplier<SheetsClient> client,
            Telemetry telemetry) {
        this.config = config;
        this.dateOrder = dateOrder;
        this.store = store;
        this.client = client;
        this.telemetry = telemetry;
    }

    public static String recordKey(Tracker t) {
        return BucketKeys.EXPORTS + t.label() + ".json";
    }

    public Map<Tracker, Result> run() {
        if (config.purchase().isEmpty()) {
            throw new IllegalStateException("no trackers are configured in Google Sheets");
        }
        Map<Tracker, SheetRef> refs = new EnumMap<>(Tracker.class);
        refs.put(Tracker.PURCHASE, SheetRef.parse(config.purchase().get(), Tracker.PURCHASE));
        refs.put(Tracker.INVENTORY, SheetRef.parse(config.inventory().get(), Tracker.INVENTORY));
        SheetsClient sheets = client.get();
        SheetDownload exporter = new SheetDownload(sheets, config.chunkRows());
        Map<Tracker, ObjectStore.Upload> uploads = new EnumMap<>(Tracker.class);
        Map<Tracker, SheetDownload.Exported> exported = new EnumMap<>(Tracker.class);
        String exportId = Instant.now().toString().replace(':', '-') + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<Tracker, Future<SheetDownload.Exported>> futures = new EnumMap<>(Tracker.class);
            for (Tracker t : Tracker.values()) {
                SheetRef ref = refs.get(t);
                ObjectStore.Upload upload = store.upload(RunKeys.exportStaging(exportId, t), "text/csv; charset=utf-8");
                uploads.put(t, upload);
                futures.put(
                        t,
                        pool.submit(
                                () -> exporter.export(ref.spreadsheetId(), ref.sheet(), dateOrder, upload.stream())));
            }
            for (Tracker t : Tracker.values()) {
                exported.put(t, await(futures.get(t)));
            }
            // Both complete in staging first: a failure before this point leaves nothing a run would pick up.
            Map<Tracker, Boolean> changed = new EnumMap<>(Tracker.class);
            for (Tracker t : Tracker.values()) {
                SheetDownload.Exported e = exported.get(t);
                String key = RunKeys.incoming(t) + refs.get(t).sheet();
                Optional<Record> last = store.get(recordKey(t)).map(b -> Json.read(b, Record.class));
                boolean unchanged = last.isPresent()
                        && last.get().sha256().equals(e.sha256())
                        && last.get().key().equals(key)
                        && store.head(key).isPresent();
                changed.put(t, !unchanged);
                if (unchanged) {
                    uploads.get(t).abort();
                } else {
                    uploads.get(t).complete();
                }
            }
            List<String> moving = new ArrayList<>();
            for (Tracker t : Tracker.values()) {
                if (changed.get(t)) {
                    moving.add(RunKeys.incoming(t) + refs.get(t).sheet());
                }
            }
            if (!moving.isEmpty()) {
                store.put(
                        RunKeys.EXPORT_MOVING,
                        Json.bytes(new Moving(
                                exportId,
                                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                                moving)),
                        "application/json");
            }
            Map<Tracker, Result> results = new EnumMap<>(Tracker.class);
            for (Tracker t : Tracker.values()) {
                SheetDownload.Exported e = exported.get(t);
                String key = RunKeys.incoming(t) + refs.get(t).sheet();
                e.warning().ifPresent(w -> telemetry.log(FUNCTION, "sheets.locale-warning", "", Map.of("warning", w)));
                boolean unchanged = !changed.get(t);
                if (!unchanged) {
                    store.copy(RunKeys.exportStaging(exportId, t), key);
                    store.delete(RunKeys.exportStaging(exportId, t));
                    SheetsClient.SheetInfo info = sheets.sheet(e.spreadsheetId(), e.sheet());
                    store.put(
                            recordKey(t),
                            Json.bytes(new Record(
                                    e.sha256(),
                                    key,
                                    e.spreadsheetId(),
                                    info.sheetId(),
                                    e.sheet(),
                                    e.rows(),
                                    Instant.now().toString())),
                            "application/json");
                }
                results.put(t, new Result(key, e.rows(), e.bytes(), !unchanged));
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("tracker", t.label());
                fields.put("spreadsheet", e.spreadsheetId());
                fields.put("sheet", e.sheet());
                fields.put("rows", e.rows());
                fields.put("bytes", e.bytes());
                fields.put("uploaded", !unchanged);
                telemetry.log(FUNCTION, unchanged ? "sheets.unchanged" : "sheets.exported", "", fields);
            }
            if (!moving.isEmpty()) {
                store.delete(RunKeys.EXPORT_MOVING);
            }
            telemetry
                    .metrics(FUNCTION, Tier.INLINE, "")
                    .count(MetricNames.SHEETS_EXPORTS, 1)
                    .count(
                            MetricNames.SHEETS_ROWS_EXPORTED,
                            exported.values().stream()
                                    .mapToLong(SheetDownload.Exported::rows)
                                    .sum())
                    .flush();
            return results;
        } finally {
            pool.shutdownNow();
            uploads.values().forEach(ObjectStore.Upload::close); // aborts whatever was not completed
        }
    }

    private static SheetDownload.Exported await(Future<SheetDownload.Exported> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(c);
        }
    }
}
