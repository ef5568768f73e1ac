package io.tally.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The deployable jar holds the handlers and what they need, and nothing of the emulators or the CLI. */
class LambdaJarIT {
    private static final Path JAR = Path.of("target/tally-lambda.jar");

    @Test
    void lambdaJar_leavesOutTheEmulatorsAndTheCli() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = Collections.list(jar.entries()).stream().map(e -> e.getName()).toList();
            assertThat(names).contains("io/tally/functions/handlers/UploadHandler.class",
                    "io/tally/functions/handlers/ChunkWorkerHandler.class", "io/tally/core/RangeReader.class");
            assertThat(names).noneMatch(n -> n.startsWith("org/gaul/") || n.startsWith("org/elasticmq/")
                    || n.startsWith("org/apache/pekko/") || n.startsWith("picocli/")
                    || n.startsWith("io/tally/functions/cli/") || n.startsWith("io/tally/functions/local/"));
        }
        assertThat(Files.size(JAR)).isLessThan(40L << 20);
    }

    @Test
    void lambdaJar_loadsTheHandlersAndTheirLibraries_onItsOwn() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String c : List.of("io.tally.functions.handlers.UploadHandler",
                    "io.tally.functions.handlers.ChunkWorkerHandler", "io.tally.functions.handlers.WatchdogHandler",
                    "software.amazon.awssdk.services.s3.S3Client", "software.amazon.awssdk.services.sqs.SqsClient",
                    "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
                    "software.amazon.cloudwatchlogs.emf.logger.MetricsLogger",
                    "com.amazonaws.services.lambda.runtime.events.SQSBatchResponse",
                    "com.fasterxml.jackson.databind.ObjectMapper")) {
                assertThat(Class.forName(c, true, loader)).isNotNull();
            }
            Assumptions.assumeTrue(System.getenv(Env.BUCKET) == null,
                    "TALLY_BUCKET is set in this environment, so the handler would try to reach AWS");
            // Without configuration the Lambda constructor must fail on the missing setting, not on a missing class.
            Class<?> handler = Class.forName("io.tally.functions.handlers.UploadHandler", true, loader);
            assertThatThrownBy(() -> handler.getConstructor().newInstance())
                    .isInstanceOf(InvocationTargetException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Env.BUCKET);
        }
    }
}
