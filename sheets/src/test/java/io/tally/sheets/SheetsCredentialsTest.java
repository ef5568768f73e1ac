package io.tally.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The service-account key from Secrets Manager, with the real SDK client against a local server that speaks
 * Secrets Manager's JSON protocol ({@code X-Amz-Target: secretsmanager.GetSecretValue}).
 */
class SheetsCredentialsTest {
    private static HttpServer secrets(String body, AtomicInteger calls) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            calls.incrementAndGet();
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] out = ("secretsmanager.GetSecretValue".equals(target)
                            ? body
                            : "{\"__type\":\"InvalidRequestException\",\"message\":\"unexpected " + target + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            x.sendResponseHeaders("secretsmanager.GetSecretValue".equals(target) ? 200 : 400, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
        return server;
    }

    private static SecretsManagerClient client(HttpServer server) {
        return SecretsManagerClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Test
    void theKeyIsReadOncePerContainer() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = secrets(
                "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:1:secret:k1\",\"Name\":\"k1\","
                        + "\"SecretString\":\"{\\\"type\\\":\\\"service_account\\\"}\",\"VersionId\":\"v1\"}",
                calls);
        try (SecretsManagerClient c = client(server)) {
            var key = SheetsCredentials.fromSecretsManager(c, "tally-google-once");
            assertThat(new String(key.get(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"service_account\"}");
            key.get();
            SheetsCredentials.fromSecretsManager(c, "tally-google-once").get();
            assertThat(calls.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSecretWithoutText_isAClearError() throws Exception {
        HttpServer server = secrets(
                "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:1:secret:k2\",\"Name\":\"k2\","
                        + "\"SecretBinary\":\"AAEC\"}",
                new AtomicInteger());
        try (SecretsManagerClient c = client(server)) {
            assertThatThrownBy(() -> SheetsCredentials.fromSecretsManager(c, "tally-google-binary")
                            .get())
                    .hasMessageContaining("holds no text")
                    .hasMessageContaining("tally-google-binary");
        } finally {
            server.stop(0);
        }
    }
}
