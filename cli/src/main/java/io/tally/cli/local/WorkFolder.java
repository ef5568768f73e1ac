package io.tally.cli.local;

import io.tally.core.FolderLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scratch folder of one {@code tally local} run ({@code tally-local-*} in the system temp folder, which
 * holds the embedded S3's objects: up to twice the input's size). It is removed when the run ends, on Ctrl-C
 * and {@code kill} (a shutdown hook), and, after a {@code kill -9}, by the next run: the run holds its folder's
 * {@link FolderLock} while it lives, and a folder whose lock can be taken is a killed run's; one whose lock is
 * held is a live run's, here or in another container sharing the temporary folder, whatever pid its name
 * carries. Folders without a lock file (an older Tally's, or one being made) are removed once they are an
 * hour old and the process their name carries ({@code tally-local-4242-...}) is gone.
 */
public final class WorkFolder implements AutoCloseable {
    static final String PREFIX = "tally-local-";
    private static final Duration UNOWNED_AGE = Duration.ofHours(1);

    private final Path dir;
    private final FileChannel lock;
    private final Thread hook;

    private WorkFolder(Path dir, FileChannel lock) {
        this.dir = dir;
        this.lock = lock;
        this.hook = new Thread(() -> delete(dir), "tally-local-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the folders of runs whose process is gone, then makes this run's folder. */
    public static WorkFolder create() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp);
        Path dir =
                Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
        try {
            return new WorkFolder(dir, FolderLock.hold(dir));
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    public Path path() {
        return dir;
    }

    /** Removes every {@code tally-local-*} folder in {@code tmp} whose owning process is gone. */
    static int removeOrphans(Path tmp) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : entries) {
                if (Files.isDirectory(d) && orphaned(d)) {
                    delete(d);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean orphaned(Path d) throws IOException {
        FolderLock.Owner locked = FolderLock.owner(d);
        if (locked != FolderLock.Owner.UNKNOWN) {
            return locked == FolderLock.Owner.GONE;
        }
        Optional<Long> owner = owner(d);
        boolean gone = owner.isEmpty()
                || ProcessHandle.of(owner.get()).map(p -> !p.isAlive()).orElse(true);
        return gone
                && Files.getLastModifiedTime(d)
                        .toInstant()
                        .isBefore(Instant.now().minus(UNOWNED_AGE));
    }

    /** The owner's process id, from the folder's name. */
    static Optional<Long> owner(Path d) {
        String name = d.getFileName().toString().substring(PREFIX.length());
        int dash = name.indexOf('-');
        try {
            return dash > 0 ? Optional.of(Long.parseLong(name.substring(0, dash))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        delete(dir);
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

    private static void delete(Path d) {
        try (Stream<Path> walk = Files.walk(d)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // already gone, or going: nothing to keep
        }
    }
}
