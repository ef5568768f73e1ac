package io.tally.glue;

import io.tally.core.ByteSource;
import io.tally.storage.S3ByteSource;
import io.tally.storage.S3ObjectStore;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where a tracker's bytes are, as a small serializable value Spark ships to executors; each executor opens
 * it there. An S3 object is read with ranged GETs pinned to the planned ETag (storage's {@link S3ByteSource},
 * the same reader the chunk worker uses): executors never download whole files, and a tracker replaced
 * mid-job fails the job.
 */
public sealed interface TrackerBytes extends Serializable {
    ByteSource open();

    /** A file every executor can read (Spark local mode: {@code tally glue-local}). */
    record LocalFile(String path) implements TrackerBytes {
        @Override
        public ByteSource open() {
            return ByteSource.of(Path.of(path));
        }
    }

    /** An S3 object, pinned to its ETag. */
    record S3Object(S3Endpoint s3, String bucket, String key, String etag, long size) implements TrackerBytes {
        @Override
        public ByteSource open() {
            return new S3ByteSource(new S3ObjectStore(s3.client(), bucket), key, etag, size);
        }
    }
}
