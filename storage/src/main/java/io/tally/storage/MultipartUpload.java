package io.tally.storage;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An S3 multipart upload fed by an output stream: parts of {@link #PART_BYTES} are sent as they fill, so
 * memory holds one part. The object appears only when the upload completes; an abort leaves nothing.
 */
final class MultipartUpload implements ObjectStore.Upload {
    /** S3's parts are at least 5 MiB (but the last); 8 MiB keeps the request count low. */
    static final int PART_BYTES = 8 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(PART_BYTES);
    private boolean done;

    MultipartUpload(S3Client s3, String bucket, String key, String contentType) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    private final OutputStream stream = new OutputStream() {
        @Override
        public void write(int b) {
            buffer.write(b);
            flushFull();
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, PART_BYTES - buffer.size());
                buffer.write(b, off, n);
                off += n;
                len -= n;
                flushFull();
            }
        }
    };

    @Override
    public OutputStream stream() {
        return stream;
    }

    private void flushFull() {
        if (buffer.size() >= PART_BYTES) {
            sendPart();
        }
    }

    private void sendPart() {
        int number = parts.size() + 1;
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(bytes)).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }

    @Override
    public void complete() {
        if (buffer.size() > 0 || parts.isEmpty()) {
            sendPart();
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        done = true;
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        }
    }

    @Override
    public void close() {
        abort();
    }
}
