package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tracker truncated while a run reads it gets one line saying so, and no reports. */
class InputChangedTest {
    @TempDir
    Path tmp;

    @Test
    void trackerTruncatedDuringTheRun_failsWithOneLineNamingIt() throws IOException {
        StringBuilder p = new StringBuilder(
                "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS," + "PURCHASED CHICKEN WEIGHT\n");
        for (int k = 0; k < 20_000; k++) {
            p.append("2024-01-01,Ada Obi,INV-").append(k).append(",10,20\n");
        }
        Path purchase = Files.writeString(tmp.resolve("p.csv"), p);
        Path inventory = Files.writeString(
                tmp.resolve("i.csv"),
                "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS," + "INVENTORY CHICKEN WEIGHT\n2024-01-01,Ada Obi,10,20\n");
        AtomicBoolean truncated = new AtomicBoolean();
        Engine.Progress truncateOnce = bytes -> {
            if (truncated.compareAndSet(false, true)) {
                try (RandomAccessFile f = new RandomAccessFile(purchase.toFile(), "rw")) {
                    f.setLength(f.length() / 3);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        LocalRun.Options options = new LocalRun.Options(Tolerances.DEFAULT, DateOrder.DAY_FIRST, 2, 8192);
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> LocalRun.run(purchase, inventory, out, options, truncateOnce))
                .isInstanceOf(InputChangedException.class)
                .hasMessageContaining("p.csv changed while Tally read it (its size went from")
                .hasMessageNotContaining("\n");
        assertThat(out).doesNotExist();
    }
}
