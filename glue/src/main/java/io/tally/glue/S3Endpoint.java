package io.tally.glue;

import java.io.Serializable;
import java.net.URI;
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
 * How to reach S3, as a small serializable value Spark ships to executors; each JVM builds one client per
 * endpoint and keeps it.
 *
 * @param endpoint an S3-compatible endpoint (tests), or null for AWS
 * @param access   static credentials for that endpoint, or null for the job's role (plain strings, since Spark
 *                 ships this by Java serialization)
 */
public record S3Endpoint(String endpoint, String region, String access, String secret) implements Serializable {
    private static final Map<S3Endpoint, S3Client> CLIENTS = new ConcurrentHashMap<>();

    /** This JVM's client for the endpoint. */
    public S3Client client() {
        return CLIENTS.computeIfAbsent(this, S3Endpoint::build);
    }

    private S3Client build() {
        var b = S3Client.builder().region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint))
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .build());
        }
        b.credentialsProvider(
                access != null
                        ? StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(access, secret == null ? "" : secret))
                        : DefaultCredentialsProvider.builder().build());
        return b.build();
    }

    @Override
    public String toString() {
        return "S3Endpoint[" + (endpoint == null ? "aws" : endpoint) + ", " + region + "]";
    }
}
