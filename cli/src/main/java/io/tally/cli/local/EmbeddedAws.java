package io.tally.cli.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * S3 (gaul/s3proxy on a filesystem store) and SQS (ElasticMQ), both inside this JVM on loopback, with real
 * AWS SDK v2 clients pointed at them. {@code tally local} and the tests run the real handlers against it.
 */
public final class EmbeddedAws implements AutoCloseable {
    private static final String ACCESS = "tally";
    private static final String SECRET = "tally-local-secret";

    private final S3Proxy proxy;
    private final SQSRestServer mq;
    private final S3Client s3;
    private final SqsClient sqs;

    private EmbeddedAws(S3Proxy proxy, SQSRestServer mq, URI s3Endpoint, URI sqsEndpoint) {
        this.proxy = proxy;
        this.mq = mq;
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET));
        this.s3 = S3Client.builder()
                .endpointOverride(s3Endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(creds)
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        this.sqs = SqsClient.builder()
                .endpointOverride(sqsEndpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(creds)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Starts both emulators; S3 objects are kept as files under {@code dataDir}. */
    public static EmbeddedAws start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS);
        p.setProperty("jclouds.credential", SECRET);
        p.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", p))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the embedded S3 did not start in 30 s");
            }
            Thread.sleep(10);
        }
        try {
            SQSRestServer mq = SQSRestServerBuilder.withDynamicPort()
                    .withInterface("127.0.0.1")
                    .start();
            int sqsPort = mq.waitUntilStarted().localAddress().getPort();
            return new EmbeddedAws(
                    proxy,
                    mq,
                    URI.create("http://127.0.0.1:" + proxy.getPort()),
                    URI.create("http://127.0.0.1:" + sqsPort));
        } catch (Exception | Error e) {
            // Without SQS the pipeline cannot run: do not leave the S3 emulator listening behind us.
            try {
                proxy.stop();
            } catch (Exception stop) {
                e.addSuppressed(stop);
            }
            throw e;
        }
    }

    public S3Client s3() {
        return s3;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public void createBucket(String bucket) {
        s3.createBucket(b -> b.bucket(bucket));
    }

    /** A queue and its dead-letter queue, with SQS's redrive policy between them. */
    public record Queues(String url, String deadLetterUrl) {}

    public Queues createQueues(String name, int maxReceiveCount, int visibilitySeconds) {
        String dlq = sqs.createQueue(
                        CreateQueueRequest.builder().queueName(name + "-dlq").build())
                .queueUrl();
        String dlqArn = sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                        .queueUrl(dlq)
                        .attributeNames(QueueAttributeName.QUEUE_ARN)
                        .build())
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String url = sqs.createQueue(CreateQueueRequest.builder()
                        .queueName(name)
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Integer.toString(visibilitySeconds),
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"maxReceiveCount\":\"" + maxReceiveCount + "\",\"deadLetterTargetArn\":\"" + dlqArn
                                        + "\"}"))
                        .build())
                .queueUrl();
        return new Queues(url, dlq);
    }

    @Override
    public void close() throws IOException {
        s3.close();
        sqs.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IOException("the embedded S3 did not stop cleanly", e);
        } finally {
            mq.stopAndWait();
        }
    }
}
