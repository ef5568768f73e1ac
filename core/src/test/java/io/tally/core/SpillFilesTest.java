package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.assertj.core.api.Assertions;
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

    /** Starts a JVM that spills under {@code tmp} and keeps running; returns it with its spill folder. */
    private record Owner(Process process, Path folder) {}

    private Owner startOwner() throws IOException {
        String launcher = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        launcher,
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        SpillOwner.class.getName())
                .redirectErrorStream(true)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the owner's spill folder").isNotNull().startsWith(tmp.toString());
        return new Owner(p, Path.of(line));
    }

    /** A run killed with SIGKILL leaves its folder; the lock it held went with it, so the folder goes at once. */
    @Test
    void theFolderOfAKilledRun_isRemovedAtOnce_notAfterHours() throws Exception {
        Owner owner = startOwner();
        owner.process().destroyForcibly().waitFor();
        assertThat(owner.folder()).exists();

        SpillFiles.removeOrphans(tmp, Files.getOwner(tmp), tmp.resolve("tally-spill-mine"));

        assertThat(owner.folder()).doesNotExist();
    }

    /**
     * A live run's folder stays whatever its pid and age say: in another container sharing the folder its pid
     * is not visible here (a folder named for a pid that is gone), and a long run's files may be hours old.
     */
    @Test
    void theFolderOfALiveRun_isKept_evenWhenItsPidIsNotVisibleAndItIsOld() throws Exception {
        Owner owner = startOwner();
        try {
            Path elsewhere = Files.move(owner.folder(), tmp.resolve("tally-spill-" + deadPid() + "-other"));
            Instant old = Instant.now().minus(SpillFiles.ORPHAN_AGE).minusSeconds(60);
            try (var files = Files.list(elsewhere)) {
                for (Path f : files.toList()) {
                    Files.setLastModifiedTime(f, FileTime.from(old));
                }
            }
            Files.setLastModifiedTime(elsewhere, FileTime.from(old));

            SpillFiles.removeOrphans(tmp, Files.getOwner(tmp), tmp.resolve("tally-spill-mine"));

            assertThat(elsewhere).exists();
            try (var files = Files.list(elsewhere)) {
                assertThat(files.count()).isPositive();
            }
        } finally {
            owner.process().destroyForcibly().waitFor();
        }
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
            Assertions.assertThatThrownBy(() -> b.add(new RejectedRow(1, RejectedRow.Code.BAD_DATE, "DATE=x", "x|y")))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot set rejected rows aside on disk in " + locked.resolve("missing"))
                    .hasMessageNotContaining("\n");
        } finally {
            System.setProperty("java.io.tmpdir", before);
            RejectedRows.builderChunk = chunk;
        }
    }
}
