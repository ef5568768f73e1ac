package io.tally.sheets;

import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Google service-account key, read from AWS Secrets Manager once per container and kept in memory only.
 * Neither the key nor any part of it is ever logged or printed.
 */
public final class SheetsCredentials {
    private static final ConcurrentHashMap<String, byte[]> KEYS = new ConcurrentHashMap<>();

    private SheetsCredentials() {}

    /** The key held in {@code secret} (an ARN or a name), fetched on first use and then kept. */
    public static Supplier<byte[]> fromSecretsManager(SecretsManagerClient secrets, String secret) {
        return () -> KEYS.computeIfAbsent(secret, s -> {
            String value = secrets.getSecretValue(b -> b.secretId(s)).secretString();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("the secret " + s + " holds no text; store the service-account key "
                        + "JSON as its SecretString");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        });
    }

    /** A Sheets client paced and retried as configured, on the key {@code key} gives. */
    public static Supplier<SheetsClient> client(
            URI endpoint,
            int readsPerMinute,
            int writesPerMinute,
            int attempts,
            Supplier<byte[]> key,
            BiConsumer<String, Map<String, Object>> log) {
        return () -> {
            try {
                byte[] k = key.get();
                var sheets = SheetsClient.client(endpoint, new ByteArrayInputStream(k), Duration.ofSeconds(60));
                RequestPacer reads = new RequestPacer(readsPerMinute, Duration.ofMinutes(1), RequestPacer.Clock.SYSTEM);
                RequestPacer writes =
                        new RequestPacer(writesPerMinute, Duration.ofMinutes(1), RequestPacer.Clock.SYSTEM);
                return new SheetsClient(
                        sheets,
                        account(k),
                        new SheetsClient.Policy(
                                reads,
                                writes,
                                new Backoff(attempts, Duration.ofSeconds(1), Duration.ofSeconds(64)),
                                new SplittableRandom(),
                                RequestPacer.Clock.SYSTEM),
                        log);
            } catch (IOException e) {
                // The library names what is wrong with the key; it never quotes the key.
                throw new UncheckedIOException("the Google service-account key cannot be used: " + e.getMessage(), e);
            }
        };
    }

    /** The service account's e-mail address ({@code client_email} of the key), which Tally's protections name. */
    public static String account(byte[] key) throws IOException {
        return ServiceAccountCredentials.fromStream(new ByteArrayInputStream(key))
                .getClientEmail();
    }
}
