package io.tally.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;

/**
 * The temporary files rows are set aside in: one folder per process under {@code java.io.tmpdir}, made by
 * {@link Files#createTempDirectory} (a random name, readable by its owner only), {@code tally-spill-<pid>-…},
 * removed at exit.
 *
 * <p>The process holds its folder's {@link FolderLock} for as long as it lives. A folder of the same user (a
 * real folder, not a link) whose lock can be taken is a killed run's, and is removed when another process first
 * spills; a folder whose lock is held is left alone, whatever its pid or age say. A folder with no lock file
 * (made by an older Tally) is removed only when its pid is gone and nothing in it changed for
 * {@link #ORPHAN_AGE}, as before.
 */
final class SpillFiles {
    private static final String PREFIX = "tally-spill-";
    static final Duration ORPHAN_AGE = Duration.ofHours(6);
    private static Path folder;
    /** Held open for the life of the process: closing it would release the lock. */
    private static FileChannel lock;

    private SpillFiles() {}

    static Path create() throws IOException {
        return create("rejected-", ".rows");
    }

    /** A new file in this process's folder, named {@code prefix}, random digits, {@code suffix}. */
    static synchronized Path create(String prefix, String suffix) throws IOException {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
        if (folder == null
                || !folder.getParent().equals(tmp)
                || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            folder = Files.createTempDirectory(
                    tmp, PREFIX + ProcessHandle.current().pid() + "-");
            lock = FolderLock.hold(folder);
            removeOrphans(tmp, Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS), folder);
            Path made = folder;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeFolder(made), "tally-spill-cleanup"));
        }
        return Files.createTempFile(folder, prefix, suffix);
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The folder goes at exit.
        }
    }

    static void removeOrphans(Path tmp, UserPrincipal me, Path mine) {
        Instant stale = Instant.now().minus(ORPHAN_AGE);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : dirs) {
                try {
                    removeIfOrphan(d, me, mine, stale);
                } catch (IOException | RuntimeException ignored) {
                    // One folder that cannot be judged or removed does not stop the others.
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Leftovers of other processes are tidied when possible; they never stop a run.
        }
    }

    private static void removeIfOrphan(Path d, UserPrincipal me, Path mine, Instant stale) throws IOException {
        if (d.equals(mine)) {
            return;
        }
        BasicFileAttributes a = Files.readAttributes(d, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory() || !me.equals(Files.getOwner(d, LinkOption.NOFOLLOW_LINKS))) {
            return;
        }
        FolderLock.Owner owner = FolderLock.owner(d);
        if (owner != FolderLock.Owner.UNKNOWN) {
            if (owner == FolderLock.Owner.GONE) {
                removeFolder(d);
            }
            return;
        }
        String[] parts = d.getFileName().toString().substring(PREFIX.length()).split("-", 2);
        if (parts[0].matches("[0-9]{1,18}")
                && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()
                && newestChange(d, a).isBefore(stale)) {
            removeFolder(d);
        }
    }

    private static Instant newestChange(Path d, BasicFileAttributes folderAttributes) throws IOException {
        Instant newest = folderAttributes.lastModifiedTime().toInstant();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                Instant t =
                        Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
                newest = t.isAfter(newest) ? t : newest;
            }
        }
        return newest;
    }

    private static void removeFolder(Path d) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                Files.deleteIfExists(f); // a link inside is removed itself, never followed
            }
            Files.deleteIfExists(d);
        } catch (IOException ignored) {
            // Nothing more can be done at exit.
        }
    }
}
