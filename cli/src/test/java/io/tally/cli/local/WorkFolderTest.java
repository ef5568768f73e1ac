package io.tally.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.FolderLock;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which {@code tally-local-*} folders a run removes: those whose owner's lock is gone, never a live run's. */
class WorkFolderTest {
    @TempDir
    Path tmp;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aLiveRunsFolder_isKept_evenWhenItsPidIsNotVisibleHere() throws Exception {
        // A run in another container sharing the temporary folder: its pid means nothing here, its lock does.
        Path live = Files.createDirectory(tmp.resolve(WorkFolder.PREFIX + deadPid() + "-live"));
        Files.writeString(live.resolve("object"), "x");
        try (FileChannel held = FolderLock.hold(live)) {
            WorkFolder.removeOrphans(tmp);
            assertThat(live.resolve("object")).exists();
            assertThat(held.isOpen()).isTrue();
        }
    }

    @Test
    void aKilledRunsFolder_isRemoved_andAFreshOneWithoutALock_isKept() throws Exception {
        Path killed = Files.createDirectory(tmp.resolve(WorkFolder.PREFIX + deadPid() + "-killed"));
        FolderLock.hold(killed).close(); // the kernel released it when the process died
        Path making = Files.createDirectory(tmp.resolve(WorkFolder.PREFIX + deadPid() + "-making"));
        Path old = Files.createDirectory(tmp.resolve(WorkFolder.PREFIX + deadPid() + "-old"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        WorkFolder.removeOrphans(tmp);

        assertThat(killed).doesNotExist();
        assertThat(making)
                .as("no lock yet: being made, perhaps in another container")
                .exists();
        assertThat(old)
                .as("an older Tally's folder of a gone process, hours old")
                .doesNotExist();
    }
}
