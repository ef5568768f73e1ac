package io.tally.cli.local;

import io.tally.core.ByteSource;
import io.tally.core.Layout;
import io.tally.core.Tracker;
import io.tally.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The functions' real object store with a hook before every ranged GET of a tracker's planned range (and
 * optionally before every whole-object read): the tests count reads there and inject failures, as a flaky S3
 * would fail them. A range is recognised by its
 * offsets ({@code [dataStart + n * rangeBytes, +rangeBytes)}), so continuation reads past a range's end and
 * re-reads from a corrected start are not taken for a range.
 */
final class HookedStore implements ObjectStore {
    private final ObjectStore store;
    private final Labels labels;
    private final Consumer<String> beforeRange;
    private final Consumer<String> beforeOpen;

    HookedStore(ObjectStore store, Labels labels, Consumer<String> beforeRange) {
        this(store, labels, beforeRange, key -> {});
    }

    /** With a hook before each object is streamed whole (partials, by the reducer) as well. */
    HookedStore(ObjectStore store, Labels labels, Consumer<String> beforeRange, Consumer<String> beforeOpen) {
        this.store = store;
        this.labels = labels;
        this.beforeRange = beforeRange;
        this.beforeOpen = beforeOpen;
    }

    /** Names planned ranges ({@code purchase-2}) from a GET's key and offsets, for one pair of files. */
    record Labels(long rangeBytes, long purchaseStart, long inventoryStart) {
        static Labels of(Path purchase, Path inventory, long rangeBytes) {
            return new Labels(
                    rangeBytes,
                    Layout.detect(ByteSource.of(purchase), Tracker.PURCHASE).dataStart(),
                    Layout.detect(ByteSource.of(inventory), Tracker.INVENTORY).dataStart());
        }

        Optional<String> label(String key, long from, long to) {
            boolean purchase = key.startsWith("incoming/purchase/");
            if (!purchase && !key.startsWith("incoming/inventory/")) {
                return Optional.empty();
            }
            long offset = from - (purchase ? purchaseStart : inventoryStart);
            long n = offset == 0 ? 0 : offset > 0 && (offset + 1) % rangeBytes == 0 ? (offset + 1) / rangeBytes : -1;
            return n < 0 ? Optional.empty() : Optional.of((purchase ? "purchase-" : "inventory-") + n);
        }
    }

    @Override
    public InputStream getRange(String key, String etag, long from, long to) {
        labels.label(key, from, to).ifPresent(beforeRange);
        return store.getRange(key, etag, from, to);
    }

    @Override
    public String bucket() {
        return store.bucket();
    }

    @Override
    public Optional<Info> head(String key) {
        return store.head(key);
    }

    @Override
    public List<Info> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return store.get(key);
    }

    @Override
    public InputStream open(String key) throws IOException {
        beforeOpen.accept(key);
        return store.open(key);
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        store.put(key, bytes, contentType);
    }

    @Override
    public void put(String key, Path file, String contentType) {
        store.put(key, file, contentType);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
        return store.putIfAbsent(key, bytes, contentType);
    }

    @Override
    public void copy(String from, String to) {
        store.copy(from, to);
    }

    @Override
    public Upload upload(String key, String contentType) {
        return store.upload(key, contentType);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }
}
