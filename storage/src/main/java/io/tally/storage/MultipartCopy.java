package io.tally.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A server-side copy of an object too large for one CopyObject (S3 takes at most 5 GiB there): a multipart upload
 * whose parts are UploadPartCopy of byte ranges of the source, pinned to its ETag, sent in parallel. The target
 * appears only when the upload completes; a copy that fails is aborted and leaves the target as it was.
 */
final class MultipartCopy {
    /** The largest object one CopyObject takes. */
    static final long MAX_SINGLE_COPY = 5L << 30;
    /** Parts of 512 MiB, larger when an object needs more than S3's 10,000 parts (S3 takes 5 MiB to 5 GiB a part). */
    static final long PART_BYTES = 512L << 20;

    static final int MAX_PARTS = 10_000;
    /** Parts copied at once. */
    static final int PARALLEL = 8;

    private MultipartCopy() {}

    /** {@code base}, or the smallest part that copies {@code size} bytes in {@link #MAX_PARTS} parts. */
    static long partBytes(long size, long base) {
        return Math.max(base, (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    static void copy(S3Client s3, String bucket, String from, HeadObjectResponse source, String to, long partBytes) {
        long size = source.contentLength();
        long part = partBytes(size, partBytes);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(to).contentType(source.contentType()))
                .uploadId();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "tally-copy-part");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CompletedPart>> futures = new ArrayList<>();
            int number = 1;
            for (long first = 0; first < size; first += part, number++) {
                long last = Math.min(first + part, size) - 1;
                int n = number;
                String range = "bytes=" + first + "-" + last;
                futures.add(pool.submit(() -> CompletedPart.builder()
                        .partNumber(n)
                        .eTag(s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                                        .sourceKey(from)
                                        .copySourceIfMatch(source.eTag())
                                        .copySourceRange(range)
                                        .destinationBucket(bucket)
                                        .destinationKey(to)
                                        .uploadId(uploadId)
                                        .partNumber(n))
                                .copyPartResult()
                                .eTag())
                        .build()));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> f : futures) {
                parts.add(f.get());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(to)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (Exception e) {
            pool.shutdownNow();
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw cause instanceof RuntimeException re
                    ? re
                    : new IllegalStateException("copying " + from + " to " + to + " failed", cause);
        } finally {
            pool.shutdown();
        }
    }
}
