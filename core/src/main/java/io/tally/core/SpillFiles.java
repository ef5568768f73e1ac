package io.tally.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;

/**
 * The temporary files rows are set aside in: one folder per process under {@code java.io.tmpdir}, made by
 * {@link Files#createTempDirectory} (a random name, readable by its owner only), {@code tally-spill-<pid>-…},
 * removed at exit.
 *
 * <p>The process holds a lock on {@link #LOCK} in its folder for as long as it lives ({@link FileChannel#lock},
 * which the kernel releases when the process dies, {@code kill -9} included, whatever container it ran in). A
 * folder of the same user (a real folder, not a link) whose lock can be taken is a killed run's, and is removed
 * when another process first spills; a folder whose lock is held is left alone, whatever its pid or age say.
 * The lock file is locked before it gets its name, so no folder shows an unlocked lock file while its owner
 * lives. A folder with no lock file (made by an older Tally) is removed only when its pid is gone and nothing
 * in it changed for {@link #ORPHAN_AGE}, as before.
 */
final class SpillFiles {
    private static final String PREFIX = "tally-spill-";
    static final Duration ORPHAN_AGE = Duration.ofHours(6);
    /** The file in each folder its process holds locked while it lives. */
    static final String LOCK = ".lock";
    private static Path folder;
    /** Held open for the life of the process: closing it would release the lock. */
    private static FileChannel lock;

    private SpillFiles() {}

    static synchronized Path create() throws IOException {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
        if (folder == null || !folder.getParent().equals(tmp) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            folder = Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
            lock = holdLock(folder);
            removeOrphans(tmp, Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS), folder);
            Path made = folder;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeFolder(made), "tally-spill-cleanup"));
        }
        return Files.createTempFile(folder, "rejected-", ".rows");
    }

    /** Locks a new file in {@code folder}, then names it {@link #LOCK}: the lock stays with the file. */
    private static FileChannel holdLock(Path folder) throws IOException {
        Path pending = Files.createTempFile(folder, "lock-", ".tmp");
        FileChannel channel = FileChannel.open(pending, StandardOpenOption.WRITE);
        try {
            channel.lock();
            Files.move(pending, folder.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
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
        Path lockFile = d.resolve(LOCK);
        if (Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    FileLock taken = channel.tryLock()) {
                if (taken != null) {
                    removeFolder(d); // its owner is gone: the kernel released the lock
                }
            } catch (OverlappingFileLockException held) {
                // Held in this JVM.
            }
            return;
        }
        String[] parts = d.getFileName().toString().substring(PREFIX.length()).split("-", 2);
        if (parts[0].matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()
                && newestChange(d, a).isBefore(stale)) {
            removeFolder(d);
        }
    }

    private static Instant newestChange(Path d, BasicFileAttributes folderAttributes) throws IOException {
        Instant newest = folderAttributes.lastModifiedTime().toInstant();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                Instant t = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
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
