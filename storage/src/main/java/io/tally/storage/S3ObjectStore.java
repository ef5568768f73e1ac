package io.tally.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The {@link ObjectStore} on S3, with the real SDK v2 client. */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;
    private final long maxSingleCopy;
    private final long copyPartBytes;
    private final Duration firstConflictDelay;

    /** Conditional writes tried at most this often while S3 answers 409 ConditionalRequestConflict. */
    static final int CONFLICT_ATTEMPTS = 6;

    public S3ObjectStore(S3Client s3, String bucket) {
        this(s3, bucket, MultipartCopy.MAX_SINGLE_COPY, MultipartCopy.PART_BYTES, Duration.ofMillis(100));
    }

    /** With the first wait after a 409 given: the tests do not sleep. */
    S3ObjectStore(S3Client s3, String bucket, Duration firstConflictDelay) {
        this(s3, bucket, MultipartCopy.MAX_SINGLE_COPY, MultipartCopy.PART_BYTES, firstConflictDelay);
    }

    /** With the copy's thresholds given: the tests copy small objects in parts. */
    S3ObjectStore(S3Client s3, String bucket, long maxSingleCopy, long copyPartBytes) {
        this(s3, bucket, maxSingleCopy, copyPartBytes, Duration.ofMillis(100));
    }

    private S3ObjectStore(
            S3Client s3, String bucket, long maxSingleCopy, long copyPartBytes, Duration firstConflictDelay) {
        this.s3 = s3;
        this.bucket = bucket;
        this.maxSingleCopy = maxSingleCopy;
        this.copyPartBytes = copyPartBytes;
        this.firstConflictDelay = firstConflictDelay;
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public Optional<Info> head(String key) {
        try {
            HeadObjectResponse r = s3.headObject(
                    HeadObjectRequest.builder().bucket(bucket).key(key).build());
            return Optional.of(new Info(key, r.eTag(), r.contentLength(), r.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<Info> list(String prefix) {
        List<Info> out = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response r = s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
            for (S3Object o : r.contents()) {
                out.add(new Info(o.key(), o.eTag(), o.size(), o.lastModified()));
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    /**
     * Bytes {@code [from, to)} of {@code key}, only if its ETag is still {@code etag}.
     *
     * @throws ObjectChangedException if the object was replaced (HTTP 412)
     */
    @Override
    public InputStream getRange(String key, String etag, long from, long to) {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .ifMatch(etag)
                    .range("bytes=" + from + "-" + (to - 1))
                    .build());
            return in;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                throw new ObjectChangedException(key, etag);
            }
            throw e;
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(
                            GetObjectRequest.builder().bucket(bucket).key(key).build())
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(
                    GetObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(
                PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType(contentType)
                        .build(),
                RequestBody.fromBytes(bytes));
    }

    @Override
    public void put(String key, Path file, String contentType) {
        s3.putObject(
                PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType(contentType)
                        .build(),
                RequestBody.fromFile(file));
    }

    /**
     * Creates {@code key} only if it does not exist (If-None-Match: *). Returns false if someone else created
     * it, which only a 412 says. A 409 ConditionalRequestConflict means a concurrent operation on the key (a
     * delete, another write) got in the way and nothing was decided: S3's reference says to retry, so the write
     * is tried again, up to {@link #CONFLICT_ATTEMPTS} times with doubling waits, and the last 409 is thrown
     * if the conflict never clears. The bytes must be unique to the caller: when a put whose earlier attempt did
     * land (a lost response the SDK retried) meets 412, reading the object back tells that it is ours.
     */
    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
        long delayMillis = firstConflictDelay.toMillis();
        boolean triedBefore = false;
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(
                        PutObjectRequest.builder()
                                .bucket(bucket)
                                .key(key)
                                .contentType(contentType)
                                .ifNoneMatch("*")
                                .build(),
                        RequestBody.fromBytes(bytes));
                return true;
            } catch (S3Exception e) {
                triedBefore |= e.numAttempts() > 1;
                if (e.statusCode() == 412) {
                    return triedBefore
                            && get(key).map(existing -> Arrays.equals(existing, bytes))
                                    .orElse(false);
                }
                if (e.statusCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
                    throw e;
                }
                sleep(delayMillis + ThreadLocalRandom.current().nextLong(delayMillis + 1));
                delayMillis *= 2;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a conditional write", e);
        }
    }

    @Override
    public Upload upload(String key, String contentType) {
        return new MultipartUpload(s3, bucket, key, contentType);
    }

    /**
     * A server-side copy: one CopyObject up to 5 GiB, which is all S3 takes in one; above, a multipart copy
     * ({@link MultipartCopy}). Either way the target appears whole or not at all.
     */
    @Override
    public void copy(String from, String to) {
        HeadObjectResponse source = s3.headObject(
                HeadObjectRequest.builder().bucket(bucket).key(from).build());
        if (source.contentLength() <= maxSingleCopy) {
            s3.copyObject(CopyObjectRequest.builder()
                    .sourceBucket(bucket)
                    .sourceKey(from)
                    .copySourceIfMatch(source.eTag())
                    .destinationBucket(bucket)
                    .destinationKey(to)
                    .build());
        } else {
            MultipartCopy.copy(s3, bucket, from, source, to, copyPartBytes);
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
    }
}
