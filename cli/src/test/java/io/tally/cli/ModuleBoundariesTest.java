package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module map holds: no module reaches into core's {@code internal} package, and nothing deployed (names,
 * core, functions) mentions the local tooling. Read from the sources, since the classpath cannot tell.
 */
class ModuleBoundariesTest {
    private static final Path ROOT =
            Path.of(System.getProperty("user.dir")).resolve("..").normalize();

    @Test
    void onlyCoreUsesCoresInternalPackage() throws IOException {
        for (String module : List.of("names", "storage", "functions", "glue", "cli")) {
            assertThat(sourcesMentioning(module, "io.tally.core.internal"))
                    .as(module)
                    .isEmpty();
        }
    }

    @Test
    void nothingDeployedMentionsTheCliOrTheEmulators() throws IOException {
        for (String module : List.of("names", "core", "storage", "functions", "glue")) {
            for (String word : List.of("io.tally.cli", "org.gaul", "org.elasticmq", "picocli")) {
                assertThat(sourcesMentioning(module, word))
                        .as(module + " mentions " + word)
                        .isEmpty();
            }
        }
    }

    @Test
    void theSparkJob_usesCoreAndStorage_neverTheLambdaHandlers() throws IOException {
        assertThat(sourcesMentioning("glue", "io.tally.functions")).isEmpty();
        assertThat(sourcesMentioning("storage", "io.tally.functions")).isEmpty();
    }

    private static List<Path> sourcesMentioning(String module, String text) throws IOException {
        Path src = ROOT.resolve(module).resolve("src/main/java");
        assertThat(src).isDirectory();
        try (Stream<Path> files = Files.walk(src)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains(text);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }
}
