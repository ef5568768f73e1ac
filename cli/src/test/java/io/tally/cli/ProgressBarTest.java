package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void progressBar_offATerminal_printsWholeLinesUpToOneHundredPercent() {
        StringWriter err = new StringWriter();
        try (ProgressBar bar = ProgressBar.start(new PrintWriter(err, true), 100L << 20, true)) {
            for (int i = 0; i < 10; i++) {
                bar.advanced(10L << 20);
            }
        }
        assertThat(err.toString()).doesNotContain("\r").contains("100%").contains("100 / 100 MB");
        assertThat(err.toString().lines()).allMatch(l -> l.startsWith("[") && l.contains("MB/s"));
    }

    @Test
    void progressBar_whenDisabled_printsNothing() {
        StringWriter err = new StringWriter();
        try (ProgressBar bar = ProgressBar.start(new PrintWriter(err, true), 100L << 20, false)) {
            bar.advanced(100L << 20);
        }
        assertThat(err.toString()).isEmpty();
    }
}
