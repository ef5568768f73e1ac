package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code ./tally} launcher checks its own settings before it builds or runs anything. */
class LauncherTest {
    private static final Path LAUNCHER =
            Path.of(System.getProperty("user.dir")).resolve("../tally").normalize();

    @ParameterizedTest
    @CsvSource({
        "TALLY_HEAP,abc",
        "TALLY_HEAP,0",
        "TALLY_HEAP,-5m",
        "TALLY_HEAP,1",
        "TALLY_HEAP,1k",
        "TALLY_HEAP,63m",
        "MALLOC_ARENA_MAX,two"
    })
    void badSetting_exits2_withOneLineNamingIt(String name, String value) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "--version").redirectErrorStream(true);
        pb.environment().put(name, value);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = read(p);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out.strip())
                .startsWith("tally: " + name + " must be")
                .contains("'" + value + "'")
                .doesNotContain("\n");
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
