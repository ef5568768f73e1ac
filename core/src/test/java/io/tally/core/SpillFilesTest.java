package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a process may remove of another's spill folders under a shared temporary folder. */
class SpillFilesTest {
    @TempDir
    Path tmp;

    private static long deadPid() {
        for (long pid = 4_000_000; ; pid++) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
    }

    private Path folder(String name, Instant changed) throws IOException {
        Path d = Files.createDirectory(tmp.resolve(name));
        Path f = Files.writeString(d.resolve("rejected-1.rows"), "rows");
        Files.setLastModifiedTime(f, FileTime.from(changed));
        Files.setLastModifiedTime(d, FileTime.from(changed));
        return d;
    }

    @Test
    void onlyOldFoldersOfGoneProcesses_areRemoved_andLinksAreNeverFollowed() throws IOException {
        Instant old = Instant.now().minus(SpillFiles.ORPHAN_AGE).minusSeconds(60);
        long dead = deadPid();
        Path orphan = folder("tally-spill-" + dead + "-1", old);
        Path fresh = folder("tally-spill-" + dead + "-2", Instant.now());
        Path live = folder("tally-spill-" + ProcessHandle.current().pid() + "-3", old);
        Path victim = folder("not-tally", old);
        Path link = Files.createSymbolicLink(tmp.resolve("tally-spill-" + dead + "-4"), victim);
        Path mine = Files.createDirectory(tmp.resolve("tally-spill-" + dead + "-5"));

        SpillFiles.removeOrphans(tmp, Files.getOwner(tmp), mine);

        assertThat(orphan).doesNotExist();
        assertThat(fresh.resolve("rejected-1.rows")).exists();
        assertThat(live.resolve("rejected-1.rows")).exists();
        assertThat(victim.resolve("rejected-1.rows")).exists();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(mine).exists();
    }

    @Test
    void aFolderThatWillNotTakeFiles_failsTheRunWithOneLineSayingWhereAndWhy() throws IOException {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        String before = System.getProperty("java.io.tmpdir");
        int chunk = RejectedRows.builderChunk;
        System.setProperty("java.io.tmpdir", locked.resolve("missing").toString());
        RejectedRows.builderChunk = 1;
        try {
            RejectedRows.Builder b = RejectedRows.builder();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.add(new RejectedRow(1,
                    RejectedRow.Code.BAD_DATE, "DATE=x", "x|y")))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageStartingWith("cannot set rejected rows aside on disk in " + locked.resolve("missing"))
                    .hasMessageNotContaining("\n");
        } finally {
            System.setProperty("java.io.tmpdir", before);
            RejectedRows.builderChunk = chunk;
        }
    }
}
