package io.tally.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The object operations the run logic needs, on one bucket. {@link S3ObjectStore} does them with the real
 * SDK client; the run logic's unit tests use an in-memory store with S3's documented semantics.
 */
public interface ObjectStore {

    /** An object's identity. */
    record Info(String key, String etag, long size, Instant lastModified) {}

    String bucket();

    Optional<Info> head(String key);

    /** Every object under {@code prefix}, all pages. */
    List<Info> list(String prefix);

    /**
     * Bytes {@code [from, to)} of {@code key}, only if its ETag is still {@code etag}.
     *
     * @throws ObjectChangedException if the object was replaced or deleted
     */
    InputStream getRange(String key, String etag, long from, long to);

    Optional<byte[]> get(String key);

    /**
     * Streams an object.
     *
     * @throws java.nio.file.NoSuchFileException if there is none
     */
    InputStream open(String key) throws IOException;

    void put(String key, byte[] bytes, String contentType);

    void put(String key, Path file, String contentType);

    /**
     * Creates {@code key} only if it does not exist (S3's {@code If-None-Match: *}). Returns false if someone
     * else created it. The bytes must be unique to the caller, so that a retried request whose first attempt
     * landed can tell its own object from another's.
     */
    boolean putIfAbsent(String key, byte[] bytes, String contentType);

    void copy(String from, String to);

    /**
     * An object written as a stream, in parts, so memory holds one part whatever its size. Nothing appears at
     * the key until {@link Upload#complete()}; {@link Upload#abort()} leaves no trace.
     */
    Upload upload(String key, String contentType);

    /** A streamed upload in progress. */
    interface Upload extends AutoCloseable {
        OutputStream stream();

        /** Makes the object appear, whole. */
        void complete();

        /** Drops what was sent; the key stays as it was. */
        void abort();

        /** Aborts unless completed. */
        @Override
        void close();
    }

    void delete(String key);
}
