package io.tally.cli.sheets;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A freshly made Google service-account key file whose token_uri points at the emulator. */
final class ServiceAccountKey {
    /** The service account every test key is for. */
    static final String EMAIL = "tally@tally-test.iam.gserviceaccount.com";

    private ServiceAccountKey() {}

    static Path write(Path dir, URI tokenUri) throws IOException {
        KeyPairGenerator gen;
        try {
            gen = KeyPairGenerator.getInstance("RSA");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        gen.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(gen.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "tally-test");
        key.put("private_key_id", "test-key-1");
        key.put("private_key", pem);
        key.put("client_email", EMAIL);
        key.put("client_id", "1234567890");
        key.put("token_uri", tokenUri.toString());
        Path file = dir.resolve("service-account.json");
        new ObjectMapper().writeValue(file.toFile(), key);
        return file;
    }
}
