package io.tally.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
}
