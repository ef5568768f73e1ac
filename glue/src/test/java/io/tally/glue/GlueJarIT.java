package io.tally.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The job jar (for Glue's extra-jars) holds Tally and a relocated AWS SDK, and nothing Glue 5.0 ships itself:
 * no Spark, Scala, Hadoop, Jackson or SLF4J classes, so none can clash.
 */
class GlueJarIT {
    @Test
    void jobJar_holdsTheEntryAndTally_andNothingGlueShips() throws Exception {
        Path jar = Path.of("target/tally-glue.jar");
        assertThat(jar).exists();
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> names =
                    Collections.list(j.entries()).stream().map(e -> e.getName()).toList();
            assertThat(names)
                    .contains(
                            "io/tally/glue/GlueApp.class",
                            "io/tally/glue/ReconcileJob.class",
                            "io/tally/core/RangeReader.class",
                            "io/tally/storage/S3ByteSource.class");
            assertThat(names)
                    .filteredOn(n -> n.endsWith(".class"))
                    .noneMatch(n -> n.startsWith("org/apache/spark/")
                            || n.startsWith("scala/")
                            || n.startsWith("org/apache/hadoop/")
                            || n.startsWith("com/fasterxml/")
                            || n.startsWith("org/slf4j/")
                            || n.startsWith("software/amazon/awssdk/")
                            || n.startsWith("io/netty/"));
            System.out.printf(
                    "tally-glue.jar: %,d bytes, %,d classes%n",
                    Files.size(jar),
                    names.stream().filter(n -> n.endsWith(".class")).count());
        }
        assertThat(Files.size(jar)).isLessThan(15L << 20);
    }
}
