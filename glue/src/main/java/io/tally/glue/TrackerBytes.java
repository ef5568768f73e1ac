package io.tally.glue;

import io.tally.core.ByteSource;
import io.tally.storage.S3ByteSource;
import io.tally.storage.S3ObjectStore;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

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

    /**
     * An S3 object, pinned to its ETag.
     *
     * @param endpoint an S3-compatible endpoint (tests), or null for AWS
     * @param access   static credentials for that endpoint, or null for the executor's role (plain strings,
     *                 since Spark ships this to executors by Java serialization)
     */
    record S3Object(String endpoint, String region, String access, String secret,
            String bucket, String key, String etag, long size) implements TrackerBytes {
        private static final Map<String, S3Client> CLIENTS = new ConcurrentHashMap<>();

        @Override
        public ByteSource open() {
            S3Client s3 = CLIENTS.computeIfAbsent((endpoint == null ? "aws" : endpoint) + "|" + region + "|"
                    + (access == null ? "" : access), k -> client());
            return new S3ByteSource(new S3ObjectStore(s3, bucket), key, etag, size);
        }

        private S3Client client() {
            var b = S3Client.builder().region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder());
            if (endpoint != null) {
                b.endpointOverride(URI.create(endpoint))
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
            }
            b.credentialsProvider(access != null
                    ? StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret == null ? "" : secret))
                    : DefaultCredentialsProvider.builder().build());
            return b.build();
        }
    }
}
