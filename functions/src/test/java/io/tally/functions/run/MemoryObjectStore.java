package io.tally.functions.run;

import io.tally.core.Digests;
import io.tally.storage.ObjectChangedException;
import io.tally.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * An object store in memory with S3's documented semantics where the run logic relies on them: strong
 * read-after-write, atomic conditional creation, ETags that change with the content, ranged reads refused
 * once the ETag no longer matches. For the run logic's unit tests; the S3 adapter itself is tested against
 * s3proxy in the cli module.
 */
final class MemoryObjectStore implements ObjectStore {
    private record Blob(byte[] bytes, String etag, Instant lastModified) {}

    private final ConcurrentSkipListMap<String, Blob> objects = new ConcurrentSkipListMap<>();
    private Instant clock = Instant.parse("2026-11-29T06:00:00Z");

    /** Moves the store's clock, which stamps each write's last-modified time. */
    synchronized void setClock(Instant now) {
        clock = now;
    }

    private synchronized Blob blob(byte[] bytes) {
        clock = clock.plusMillis(1);
        return new Blob(bytes.clone(), "\"" + Digests.sha256Hex(bytes).substring(0, 32) + "\"", clock);
    }

    @Override
    public String bucket() {
        return "memory";
    }

    @Override
    public Optional<Info> head(String key) {
        return Optional.ofNullable(objects.get(key)).map(b -> info(key, b));
    }

    @Override
    public List<Info> list(String prefix) {
        return objects.subMap(prefix, prefix + Character.MAX_VALUE).entrySet().stream()
                .map(e -> info(e.getKey(), e.getValue()))
                .toList();
    }

    @Override
    public InputStream getRange(String key, String etag, long from, long to) {
        Blob b = objects.get(key);
        if (b == null || !b.etag().equals(etag)) {
            throw new ObjectChangedException(key, etag);
        }
        int end = (int) Math.min(b.bytes().length, to);
        return new ByteArrayInputStream(Arrays.copyOfRange(b.bytes(), (int) from, end));
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects.get(key)).map(b -> b.bytes().clone());
    }

    /** Runs before each {@link #open}, with the key: a test may throw from it, as a failing read would. */
    volatile Consumer<String> beforeOpen = key -> {};

    @Override
    public InputStream open(String key) throws IOException {
        beforeOpen.accept(key);
        Blob b = objects.get(key);
        if (b == null) {
            throw new NoSuchFileException(key);
        }
        return new ByteArrayInputStream(b.bytes());
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        objects.put(key, blob(bytes));
    }

    @Override
    public void put(String key, Path file, String contentType) {
        try {
            put(key, Files.readAllBytes(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
        return objects.putIfAbsent(key, blob(bytes)) == null;
    }

    @Override
    public void copy(String from, String to) {
        objects.put(to, blob(objects.get(from).bytes()));
    }

    /** Runs before each {@link #upload} starts, with the key: a test may throw from it. */
    volatile Consumer<String> beforeUpload = key -> {};

    @Override
    public Upload upload(String key, String contentType) {
        beforeUpload.accept(key);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        return new Upload() {
            private boolean done;

            @Override
            public OutputStream stream() {
                return bytes;
            }

            @Override
            public void complete() {
                put(key, bytes.toByteArray(), contentType);
                done = true;
            }

            @Override
            public void abort() {
                done = true;
            }

            @Override
            public void close() {
                abort();
            }
        };
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    private static Info info(String key, Blob b) {
        return new Info(key, b.etag(), b.bytes().length, b.lastModified());
    }
}
