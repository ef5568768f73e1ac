package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Node.js the CDK toolchain runs on: the jsii runtime under the CDK app (jsii-runtime 1.139) supports Node 22
 * (until 2027-04-30) and 24, and Node 20 ended on 2026-04-30. package.json requires 22 and pins it, npm ci
 * installs it into node_modules/.bin, and the build puts that first on the PATH of these tests and of cdk synth.
 */
class NodeVersionTest {
    static final int SUPPORTED_MAJOR = 22;

    @Test
    void packageJson_requiresAndPinsASupportedNode() throws Exception {
        JsonNode pkg = new ObjectMapper().readTree(Path.of("package.json").toFile());
        assertThat(pkg.path("engines").path("node").asText()).isEqualTo(">=" + SUPPORTED_MAJOR);
        assertThat(major(pkg.path("devDependencies").path("node").asText())).isGreaterThanOrEqualTo(SUPPORTED_MAJOR);
        // The pinned CDK CLI, exactly: its "latest" tag is a 3.x that cannot read this CDK's cloud assembly.
        assertThat(pkg.path("devDependencies").path("aws-cdk").asText()).matches("2\\.\\d+\\.\\d+");
    }

    @Test
    void theNodeOnThePath_isASupportedOne() throws Exception {
        Process p = new ProcessBuilder("node", "--version")
                .redirectErrorStream(true)
                .start();
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).isZero();
        assertThat(major(version)).as(version).isGreaterThanOrEqualTo(SUPPORTED_MAJOR);
    }

    private static int major(String version) {
        return Integer.parseInt(version.replaceFirst("^[v^~>=]*", "").split("\\.")[0]);
    }
}
