package io.tally.storage;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * An S3 multipart upload fed by an output stream: parts of {@link #PART_BYTES} are sent as they fill, each on
 * a thread of the upload's own while the writer fills the next, so writing and sending overlap and memory
 * holds two parts at most. The object appears only when the upload completes; an abort leaves nothing.
 */
final class MultipartUpload implements ObjectStore.Upload {
    /** S3's parts are at least 5 MiB (but the last); 8 MiB keeps the request count low. */
    static final int PART_BYTES = 8 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    /** Grows to a part as it fills: a small report costs a small buffer. */
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 << 10);

    private final ExecutorService sender;
    /** The part being sent, if any. */
    private CompletableFuture<CompletedPart> inFlight;
    /** A part that failed: every later write and the completion fail with it, so no object has a hole. */
    private RuntimeException failed;

    private boolean done;

    MultipartUpload(S3Client s3, String bucket, String key, String contentType) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType))
                .uploadId();
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tally-upload-part");
            t.setDaemon(true);
            return t;
        });
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

    /** Waits for the part in flight, then sends the buffer's bytes as the next part. */
    private void sendPart() {
        if (failed != null) {
            throw failed;
        }
        awaitInFlight();
        int number = parts.size() + 1;
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        inFlight = CompletableFuture.supplyAsync(
                () -> CompletedPart.builder()
                        .partNumber(number)
                        .eTag(s3.uploadPart(
                                        b -> b.bucket(bucket)
                                                .key(key)
                                                .uploadId(uploadId)
                                                .partNumber(number),
                                        RequestBody.fromBytes(bytes))
                                .eTag())
                        .build(),
                sender);
    }

    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        try {
            parts.add(inFlight.join());
        } catch (CompletionException e) {
            failed = e.getCause() instanceof RuntimeException re ? re : e;
            throw failed;
        } finally {
            inFlight = null;
        }
    }

    @Override
    public void complete() {
        if (buffer.size() > 0 || (parts.isEmpty() && inFlight == null)) {
            sendPart();
        }
        awaitInFlight();
        s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        done = true;
        sender.shutdown();
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            // A part still being sent could land after the abort and be kept: let it finish first (briefly).
            sender.shutdown();
            try {
                sender.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight = null;
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (NoSuchUploadException gone) {
                // Already aborted or expired: nothing is left either way.
            }
        }
    }

    @Override
    public void close() {
        abort();
    }
}
