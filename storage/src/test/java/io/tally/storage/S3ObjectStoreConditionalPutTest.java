package io.tally.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code putIfAbsent} through the real SDK v2 client against an S3 endpoint at the HTTP level that answers an
 * {@code If-None-Match: *} PUT as S3 documents: 412 when the object exists, and {@code 409
 * ConditionalRequestConflict} when a concurrent operation on the key got in the way, which the reference says
 * to retry. Only 412 means someone else holds the key.
 */
class S3ObjectStoreConditionalPutTest {
    private static final byte[] MINE = "run-1 owner-a".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private S3Client s3;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    /** Statuses to answer the next conditional PUTs with, before answering as S3 does. */
    private final Deque<Integer> scripted = new ArrayDeque<>();

    private final List<String> puts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        s3 = S3Client.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @AfterEach
    void stop() {
        s3.close();
        server.stop(0);
    }

    @Test
    void putIfAbsent_afterConflicts_retriesUntilTheWriteLands() {
        scripted.add(409);
        scripted.add(409);
        assertThat(store().putIfAbsent("runs/r/_reduce", MINE, "text/plain")).isTrue();
        assertThat(puts).containsExactly("runs/r/_reduce 409", "runs/r/_reduce 409", "runs/r/_reduce 200");
        assertThat(objects.get("b/runs/r/_reduce")).isEqualTo(MINE);
    }

    @Test
    void putIfAbsent_conflictThenExists_isALostRace() {
        scripted.add(409);
        objects.put("b/runs/r/_reduce", "run-1 owner-b".getBytes(StandardCharsets.UTF_8));
        assertThat(store().putIfAbsent("runs/r/_reduce", MINE, "text/plain")).isFalse();
        assertThat(puts).containsExactly("runs/r/_reduce 409", "runs/r/_reduce 412");
    }

    @Test
    void putIfAbsent_whenTheKeyExists_isFalseAtOnce() {
        objects.put("b/runs/r/_reduce", "run-1 owner-b".getBytes(StandardCharsets.UTF_8));
        assertThat(store().putIfAbsent("runs/r/_reduce", MINE, "text/plain")).isFalse();
        assertThat(puts).containsExactly("runs/r/_reduce 412");
    }

    @Test
    void putIfAbsent_conflictThatNeverEnds_failsAfterBoundedRetries_ratherThanCallingItLost() {
        for (int i = 0; i < 100; i++) {
            scripted.add(409);
        }
        S3ObjectStore store = store();
        assertThatThrownBy(() -> store.putIfAbsent("runs/r/_reduce", MINE, "text/plain"))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(409));
        assertThat(puts).hasSize(S3ObjectStore.CONFLICT_ATTEMPTS).allMatch(p -> p.endsWith(" 409"));
        assertThat(objects).doesNotContainKey("b/runs/r/_reduce");
    }

    private S3ObjectStore store() {
        return new S3ObjectStore(s3, "b", Duration.ofMillis(1));
    }

    private void answer(HttpExchange x) throws IOException {
        try (x) {
            String key = x.getRequestURI().getPath().substring(1);
            String method = x.getRequestMethod();
            byte[] body = decodeChunks(x, x.getRequestBody().readAllBytes());
            if (method.equals("PUT") && "*".equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
                int status;
                synchronized (this) {
                    Integer next = scripted.poll();
                    status = next != null ? next : objects.putIfAbsent(key, body) == null ? 200 : 412;
                }
                puts.add(key.substring(2) + " " + status);
                if (status == 409) {
                    error(
                            x,
                            409,
                            "ConditionalRequestConflict",
                            "A conflicting operation occurred. If using PutObject you can retry the request.");
                } else if (status == 412) {
                    error(
                            x,
                            412,
                            "PreconditionFailed",
                            "At least one of the pre-conditions you specified did not hold");
                } else {
                    x.getResponseHeaders().add("ETag", "\"" + Integer.toHexString(Arrays.hashCode(body)) + "\"");
                    x.sendResponseHeaders(200, -1);
                }
            } else if (method.equals("GET") && objects.containsKey(key)) {
                byte[] b = objects.get(key);
                x.sendResponseHeaders(200, b.length);
                x.getResponseBody().write(b);
            } else {
                error(x, 404, "NoSuchKey", "The specified key does not exist.");
            }
        }
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message><RequestId>r</RequestId><HostId>h</HostId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/xml");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    /** The payload of an {@code aws-chunked} body (signed streaming), or the body as sent. */
    private static byte[] decodeChunks(HttpExchange x, byte[] body) throws IOException {
        if (x.getRequestHeaders().getFirst("x-amz-decoded-content-length") == null) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(body);
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n' && c >= 0) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            int semi = line.indexOf(";");
            int size = Integer.parseInt(semi < 0 ? line.toString() : line.substring(0, semi), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
