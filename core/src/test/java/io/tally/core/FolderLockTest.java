package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch folders of other processes, told apart by their lock: a killed run's goes, a live run's stays. */
class FolderLockTest {
    @TempDir
    Path tmp;

    private record Owner(Process process, Path folder) {}

    private Owner start(String prefix) throws IOException {
        String launcher = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        launcher,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ScratchOwner.class.getName(),
                        tmp.toString(),
                        prefix)
                .redirectErrorStream(true)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line)
                .as("the owner's folder")
                .isNotNull()
                .startsWith(tmp.resolve(prefix).toString());
        return new Owner(p, Path.of(line));
    }

    @Test
    void scratch_removesTheFoldersOfKilledRuns_andKeepsLiveOnesAndOthers() throws Exception {
        Owner killed = start("tally-glue-");
        Files.writeString(killed.folder().resolve("partial-1"), "x");
        killed.process().destroyForcibly().waitFor();
        Owner live = start("tally-glue-");
        Path unlocked = Files.createDirectory(tmp.resolve("tally-glue-older"));
        Path otherPrefix = Files.createDirectory(tmp.resolve("spark-1234"));
        FolderLock.Scratch mine = FolderLock.scratch(tmp, "tally-glue-");
        try {
            assertThat(killed.folder()).as("a killed run's").doesNotExist();
            assertThat(live.folder()).as("a live run's").exists();
            assertThat(unlocked).as("no lock: not known to be abandoned").exists();
            assertThat(otherPrefix).as("not Tally's").exists();
            assertThat(mine.path().resolve(FolderLock.FILE)).exists();
            assertThat(FolderLock.owner(mine.path())).isEqualTo(FolderLock.Owner.LIVE);
        } finally {
            mine.close();
            live.process().destroyForcibly().waitFor();
        }
        assertThat(mine.path()).as("closed: removed").doesNotExist();
        assertThat(FolderLock.removeAbandoned(tmp, "tally-glue-")).isEqualTo(1);
        assertThat(live.folder()).doesNotExist();
    }
}
