package io.tally.functions.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.CreateDeveloperMetadataRequest;
import com.google.api.services.sheets.v4.model.DataFilter;
import com.google.api.services.sheets.v4.model.DeleteSheetRequest;
import com.google.api.services.sheets.v4.model.DeveloperMetadata;
import com.google.api.services.sheets.v4.model.DeveloperMetadataLocation;
import com.google.api.services.sheets.v4.model.DeveloperMetadataLookup;
import com.google.api.services.sheets.v4.model.GridProperties;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.UpdateDeveloperMetadataRequest;
import io.tally.sheets.RequestPacer;
import io.tally.sheets.SheetsClient;
import io.tally.sheets.SheetsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * One publish at a time per report spreadsheet, across processes and machines, kept in the spreadsheet itself.
 * Sheets has no compare-and-swap, but a {@code batchUpdate} applies all its requests or none, and an
 * {@code addSheet} of a title that exists fails: so the lock is a hidden tab of a fixed title, and its owner and
 * expiry are developer metadata on that tab. A lock past its expiry (its owner died) is taken over by deleting
 * that very tab (by id) and adding a new one in one batch: of two that try at once, one finds the tab gone and
 * fails whole. The holder renews its lease as it works, and its swap carries a renewal of its own metadata, which
 * fails if the lock was taken over: so a publish that lost its lock cannot swap its tabs in.
 */
final class WriteBackLock {
    static final String TITLE = "Tally publish lock";
    static final String KEY = "tally.publish-lock";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a lease lasts, how long to wait for one, and how often to look. */
    record Settings(Duration lease, Duration maxWait, Duration poll, InstantSource time, RequestPacer.Clock sleep) {
        static Settings defaults() {
            // A look every 10 s: six reads a minute of the quota the holder draws on too (it is per user).
            return new Settings(
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(11),
                    Duration.ofSeconds(10),
                    InstantSource.system(),
                    RequestPacer.Clock.SYSTEM);
        }
    }

    /** The lock as held: its tab, its metadata, and when it lapses. */
    final class Held implements AutoCloseable {
        final int sheetId;
        final int metadataId;
        Instant expires;
        final Duration waited;

        Held(int sheetId, int metadataId, Instant expires, Duration waited) {
            this.sheetId = sheetId;
            this.metadataId = metadataId;
            this.expires = expires;
            this.waited = waited;
        }

        /** A request that renews the lease, and fails the batch it is in if the lock is no longer ours. */
        Request fence() {
            expires = settings.time().instant().plus(settings.lease());
            return new Request()
                    .setUpdateDeveloperMetadata(new UpdateDeveloperMetadataRequest()
                            .setDataFilters(List.of(new DataFilter()
                                    .setDeveloperMetadataLookup(
                                            new DeveloperMetadataLookup().setMetadataId(metadataId))))
                            .setDeveloperMetadata(new DeveloperMetadata().setMetadataValue(value(expires)))
                            .setFields("metadataValue"));
        }

        /** Renews the lease when half of it has gone. */
        void keepAlive() {
            if (Duration.between(settings.time().instant(), expires)
                            .compareTo(settings.lease().dividedBy(2))
                    < 0) {
                client.update(spreadsheetId, TITLE, List.of(fence()));
            }
        }

        /** Gives the lock up; a lock already taken over is left to its new owner. */
        @Override
        public void close() {
            try {
                client.update(
                        spreadsheetId,
                        TITLE,
                        List.of(new Request().setDeleteSheet(new DeleteSheetRequest().setSheetId(sheetId))));
            } catch (SheetsException e) {
                log.accept("sheets.lock-release-failed", Map.of("spreadsheet", spreadsheetId, "why", e.getMessage()));
            }
        }
    }

    private final SheetsClient client;
    private final String spreadsheetId;
    private final String owner;
    private final Settings settings;
    private final RandomGenerator random;
    private final BiConsumer<String, Map<String, Object>> log;

    WriteBackLock(
            SheetsClient client,
            String spreadsheetId,
            String owner,
            Settings settings,
            RandomGenerator random,
            BiConsumer<String, Map<String, Object>> log) {
        this.client = client;
        this.spreadsheetId = spreadsheetId;
        this.owner = owner;
        this.settings = settings;
        this.random = random;
        this.log = log;
    }

    /** Takes the lock, waiting (bounded) while another live publish holds it. */
    Held acquire() {
        Instant start = settings.time().instant();
        Instant nextLog = start;
        while (true) {
            Optional<SheetsClient.SheetInfo> tab = client.sheets(spreadsheetId).stream()
                    .filter(t -> t.title().equals(TITLE))
                    .findFirst();
            Instant now = settings.time().instant();
            Optional<Holder> holder = tab.flatMap(t -> t.metadata(KEY)).flatMap(m -> holder(m.value()));
            if (tab.isEmpty() || holder.isEmpty() || !holder.get().expires().isAfter(now)) {
                if (tab.isPresent()) {
                    log.accept(
                            "sheets.lock-taken-over",
                            Map.of(
                                    "spreadsheet",
                                    spreadsheetId,
                                    "from",
                                    holder.map(Holder::owner).orElse("(unknown)"),
                                    "expired",
                                    holder.map(h -> h.expires().toString()).orElse("(no expiry)")));
                }
                Optional<Held> held = tryTake(tab.map(SheetsClient.SheetInfo::sheetId), start);
                if (held.isPresent()) {
                    return held.get();
                }
                continue; // another publish got it first: look again
            }
            Duration waited = Duration.between(start, now);
            if (waited.compareTo(settings.maxWait()) >= 0) {
                throw new SheetsWriteBack.Busy("spreadsheet " + spreadsheetId + " is being published by "
                        + holder.get().owner()
                        + " (lease until " + holder.get().expires() + "); waited " + waited.toSeconds()
                        + " s; try again"
                        + " later");
            }
            if (!now.isBefore(nextLog)) {
                log.accept(
                        "sheets.publish-waiting",
                        Map.of(
                                "spreadsheet",
                                spreadsheetId,
                                "holder",
                                holder.get().owner(),
                                "leaseUntil",
                                holder.get().expires().toString(),
                                "waitedSeconds",
                                waited.toSeconds()));
                nextLog = now.plus(Duration.ofMinutes(1));
            }
            try {
                settings.sleep().sleep(settings.poll().toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the publish lock", e);
            }
        }
    }

    private Optional<Held> tryTake(Optional<Integer> stale, Instant start) {
        int sheetId = 1 + random.nextInt(Integer.MAX_VALUE - 1);
        int metadataId = 1 + random.nextInt(Integer.MAX_VALUE - 1);
        Instant expires = settings.time().instant().plus(settings.lease());
        List<Request> take = new ArrayList<>();
        stale.ifPresent(id -> take.add(new Request().setDeleteSheet(new DeleteSheetRequest().setSheetId(id))));
        take.add(new Request()
                .setAddSheet(new AddSheetRequest()
                        .setProperties(new SheetProperties()
                                .setSheetId(sheetId)
                                .setTitle(TITLE)
                                .setHidden(true)
                                .setGridProperties(
                                        new GridProperties().setRowCount(1).setColumnCount(1)))));
        take.add(new Request()
                .setCreateDeveloperMetadata(new CreateDeveloperMetadataRequest()
                        .setDeveloperMetadata(new DeveloperMetadata()
                                .setMetadataId(metadataId)
                                .setMetadataKey(KEY)
                                .setMetadataValue(value(expires))
                                .setVisibility("PROJECT")
                                .setLocation(new DeveloperMetadataLocation().setSheetId(sheetId)))));
        try {
            client.update(spreadsheetId, TITLE, take);
        } catch (SheetsException e) {
            if (e.status() != 400) {
                throw e;
            }
            // Someone else's lock came first, or this very request applied and its answer was lost: look.
            boolean ours = client.sheets(spreadsheetId).stream()
                    .anyMatch(t -> t.title().equals(TITLE) && t.sheetId() == sheetId);
            if (!ours) {
                return Optional.empty();
            }
        }
        Duration waited = Duration.between(start, settings.time().instant());
        log.accept(
                "sheets.lock-taken",
                Map.of("spreadsheet", spreadsheetId, "owner", owner, "waitedMs", waited.toMillis()));
        return Optional.of(new Held(sheetId, metadataId, expires, waited));
    }

    private record Holder(String owner, Instant expires) {}

    private static Optional<Holder> holder(String value) {
        try {
            JsonNode n = JSON.readTree(value);
            return Optional.of(new Holder(
                    n.path("owner").asText("(unknown)"),
                    Instant.parse(n.path("expires").asText())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String value(Instant expires) {
        ObjectNode n = JSON.createObjectNode().put("owner", owner).put("expires", expires.toString());
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
