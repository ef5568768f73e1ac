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
 * and {@code kill} (a shutdown hook), and, after a {@code kill -9}, by the next run: each folder names the
 * process that owns it, and a folder whose process is gone is removed.
 */
public final class WorkFolder implements AutoCloseable {
    static final String PREFIX = "tally-local-";
    private static final String OWNER = "owner.pid";

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
        Path dir = Files.createTempDirectory(tmp, PREFIX);
        Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
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
                if (Files.isDirectory(d) && owner(d).map(pid -> ProcessHandle.of(pid).isEmpty()).orElse(true)) {
                    delete(d);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static Optional<Long> owner(Path d) {
        try {
            return Optional.of(Long.parseLong(Files.readString(d.resolve(OWNER)).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // an older Tally's folder, or one killed before it was stamped
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
