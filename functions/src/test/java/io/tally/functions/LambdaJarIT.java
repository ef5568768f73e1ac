package io.tally.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.names.Env;
import io.tally.names.HandlerClasses;
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

/**
 * The deployable jar is the whole functions module shaded: every handler and what it needs, and nothing of
 * the emulators, the CLI or the tests. Its size and class count are printed for the record.
 */
class LambdaJarIT {
    private static final Path JAR = Path.of("target/tally-lambda.jar");

    @Test
    void lambdaJar_holdsTheHandlers_andNoEmulatorCliOrTestClass() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = Collections.list(jar.entries()).stream()
                    .map(e -> e.getName())
                    .toList();
            for (String handler : HandlerClasses.ALL) {
                assertThat(names).contains(handler.replace('.', '/') + ".class");
            }
            assertThat(names).contains("io/tally/core/RangeReader.class", "io/tally/names/Env.class");
            assertThat(names)
                    .noneMatch(n -> n.startsWith("org/gaul/")
                            || n.startsWith("org/elasticmq/")
                            || n.startsWith("org/apache/pekko/")
                            || n.startsWith("scala/")
                            || n.startsWith("picocli/")
                            || n.startsWith("org/eclipse/jetty/")
                            || n.startsWith("io/tally/cli/")
                            || n.startsWith("org/junit/")
                            || n.startsWith("org/assertj/")
                            || n.endsWith("Test.class")
                            || n.endsWith("IT.class"));
            long classes = names.stream().filter(n -> n.endsWith(".class")).count();
            System.out.printf("tally-lambda.jar: %,d bytes, %,d classes%n", Files.size(JAR), classes);
        }
        assertThat(Files.size(JAR)).isLessThan(40L << 20);
    }

    @Test
    void lambdaJar_loadsEveryHandler_withNothingElseOnTheClassPath() throws Exception {
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String c : HandlerClasses.ALL) {
                assertThat(Class.forName(c, true, loader)).isNotNull();
            }
            for (String c : List.of(
                    "software.amazon.awssdk.services.s3.S3Client",
                    "software.amazon.awssdk.services.sqs.SqsClient",
                    "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
                    "software.amazon.cloudwatchlogs.emf.logger.MetricsLogger",
                    "com.amazonaws.services.lambda.runtime.events.SQSBatchResponse",
                    "com.fasterxml.jackson.databind.ObjectMapper")) {
                assertThat(Class.forName(c, true, loader)).isNotNull();
            }
            Assumptions.assumeTrue(
                    System.getenv(Env.BUCKET) == null,
                    "TALLY_BUCKET is set in this environment, so the handlers would try to reach AWS");
            // Without configuration each Lambda constructor must fail on the missing setting, not on a missing class.
            for (String c : HandlerClasses.ALL) {
                Class<?> handler = Class.forName(c, true, loader);
                assertThatThrownBy(() -> handler.getConstructor().newInstance())
                        .as(c)
                        .isInstanceOf(InvocationTargetException.class)
                        .cause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(Env.BUCKET);
            }
        }
    }
}
