package io.tally.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scratch folder of one {@code tally local} run ({@code tally-local-*} in the system temp folder, which
 * holds the embedded S3's objects: up to twice the input's size). It is removed when the run ends, on Ctrl-C
 * and {@code kill} (a shutdown hook), and, after a {@code kill -9}, by the next run: each folder's name
 * carries the id of the process that owns it ({@code tally-local-4242-...}), and a folder whose process is
 * gone is removed. Folders without an owner (an older Tally's) are removed once they are an hour old.
 */
public final class WorkFolder implements AutoCloseable {
    static final String PREFIX = "tally-local-";
    private static final java.time.Duration UNOWNED_AGE = java.time.Duration.ofHours(1);

    private final Path dir;
    private final Thread hook;

    private WorkFolder(Path dir) {
        this.dir = dir;
        this.hook = new Thread(() -> delete(dir), "tally-local-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the folders of runs whose process is gone, then makes this run's folder. */
    public static WorkFolder create() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp);
        Path dir = Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
        return new WorkFolder(dir);
    }

    public Path path() {
        return dir;
    }

    /** Removes every {@code tally-local-*} folder in {@code tmp} whose owning process is no longer running. */
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
        Optional<Long> owner = owner(d);
        if (owner.isPresent()) {
            return ProcessHandle.of(owner.get()).map(p -> !p.isAlive()).orElse(true);
        }
        return Files.getLastModifiedTime(d).toInstant().isBefore(java.time.Instant.now().minus(UNOWNED_AGE));
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
