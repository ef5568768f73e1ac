package io.tally.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Tells a live process's scratch folder from a killed one's: the owner holds a {@link FileChannel#lock} on
 * {@code .lock} in its folder for as long as it lives, and the kernel releases it when the process dies
 * ({@code kill -9} included), whichever container it ran in; pids and ages cannot tell that across containers
 * sharing a temporary folder. The file is locked before it gets its name, so a folder never shows an unlocked
 * lock file while its owner lives.
 */
public final class FolderLock {
    /** The file in each folder its process holds locked while it lives. */
    public static final String FILE = ".lock";

    /** What a folder's lock says about its owner. */
    public enum Owner {
        /** The lock is held: the owner runs, here or in another container. */
        LIVE,
        /** The lock could be taken: the owner is gone. */
        GONE,
        /** No lock file: an older Tally's folder, or one whose owner is making it. */
        UNKNOWN
    }

    private FolderLock() {}

    /**
     * Locks {@code folder} for this process; keep the channel open as long as the process uses the folder
     * (closing it releases the lock).
     */
    public static FileChannel hold(Path folder) throws IOException {
        Path pending = Files.createTempFile(folder, "lock-", ".tmp");
        FileChannel channel = FileChannel.open(pending, StandardOpenOption.WRITE);
        try {
            channel.lock();
            Files.move(pending, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whether the owner of {@code folder} (a real folder, not a link) still holds it. Call it only on folders
     * of other processes: in the owning process, closing another channel to the file would release its lock.
     */
    public static Owner owner(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Owner.UNKNOWN;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                FileLock taken = channel.tryLock()) {
            return taken == null ? Owner.LIVE : Owner.GONE;
        } catch (OverlappingFileLockException heldInThisJvm) {
            return Owner.LIVE;
        }
    }

    /**
     * A scratch folder for this process in {@code tmp}, named {@code prefix} and a random part, locked while it
     * lives and removed on {@link Scratch#close} or at exit; made after removing the folders with that prefix
     * whose owner is gone ({@link #removeAbandoned}).
     */
    public static Scratch scratch(Path tmp, String prefix) throws IOException {
        removeAbandoned(tmp, prefix);
        Path dir = Files.createTempDirectory(tmp, prefix);
        try {
            return new Scratch(dir, hold(dir));
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Removes each folder {@code prefix*} in {@code tmp} (a real folder, not a link, of this user) whose lock can
     * be taken: its owner was killed. A folder whose lock is held, or that has none, is left alone. Returns how
     * many went; one that cannot be judged or removed never stops the others.
     */
    public static int removeAbandoned(Path tmp, String prefix) {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
            UserPrincipal me = Files.getOwner(tmp);
            for (Path d : dirs) {
                try {
                    if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                            && me.equals(Files.getOwner(d, LinkOption.NOFOLLOW_LINKS))
                            && owner(d) == Owner.GONE) {
                        deleteTree(d);
                        removed++;
                    }
                } catch (IOException | RuntimeException e) {
                    // judged again by the next run
                }
            }
        } catch (IOException | RuntimeException e) {
            // leftovers are tidied when possible; they never stop a run
        }
        return removed;
    }

    /** Deletes {@code d} and what it holds; links inside are removed themselves, never followed. */
    static void deleteTree(Path d) {
        try (Stream<Path> walk = Files.walk(d)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // already gone, or going
        }
    }

    /** A locked scratch folder of this process ({@link #scratch}). */
    public static final class Scratch implements AutoCloseable {
        private final Path dir;
        private final FileChannel lock;
        private final Thread hook;

        private Scratch(Path dir, FileChannel lock) {
            this.dir = dir;
            this.lock = lock;
            this.hook = new Thread(() -> deleteTree(dir), "tally-scratch-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        public Path path() {
            return dir;
        }

        @Override
        public void close() {
            deleteTree(dir);
            try {
                lock.close();
            } catch (IOException e) {
                // the folder is gone; the lock goes with the process
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway
            }
        }
    }
}
