package io.tally.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.internal.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Priming runs the whole engine on a generated pair, in memory, and leaves nothing behind. */
class PrimingTest {
    private static long primingFolders() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("tally-priming-"))
                    .count();
        }
    }

    @Test
    void aRun_joinsTheGeneratedPair_andRemovesItsFolder() throws IOException {
        long before = primingFolders();
        assertThat(Priming.run(5_000)).as("keys joined").isPositive();
        assertThat(primingFolders()).isEqualTo(before);
    }

    @Test
    void itPrimes_onlyWhenLambdaSaysTheInitIsForASnapshot() {
        assertThat(Priming.beforeSnapshot("on-demand", 5_000)).isFalse();
        assertThat(Priming.beforeSnapshot(null, 5_000)).isFalse();
        assertThat(Priming.beforeSnapshot("snap-start", 5_000)).isTrue();
    }

    @Test
    void afterARestore_theHashKeyIsDrawnAgain_soCopiesOfOneSnapshotDoNotShareIt() throws Exception {
        byte[] name = "Ada Obi".getBytes(StandardCharsets.UTF_8);
        long before = Bytes.keyedHash(name, 0, name.length);
        Priming.REKEY.afterRestore(null);
        assertThat(Bytes.keyedHash(name, 0, name.length)).isNotEqualTo(before);
    }
}
