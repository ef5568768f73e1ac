package io.tally.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The temporary files rows are set aside in: one folder per process, {@code tally-spill-<pid>} under
 * {@code java.io.tmpdir}, removed at exit. Folders of processes that are gone (killed before their exit
 * ran) are removed when a process first spills.
 */
final class SpillFiles {
    private static final String PREFIX = "tally-spill-";
    private static Path folder;

    private SpillFiles() {}

    static synchronized Path create() throws IOException {
        if (folder == null || !Files.isDirectory(folder)) {
            Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
            removeOrphans(tmp);
            folder = Files.createDirectories(tmp.resolve(PREFIX + ProcessHandle.current().pid()));
            Path made = folder;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeFolder(made), "tally-spill-cleanup"));
        }
        return Files.createTempFile(folder, "rejected-", ".rows");
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The folder goes at exit.
        }
    }

    private static void removeOrphans(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : dirs) {
                String pid = d.getFileName().toString().substring(PREFIX.length());
                if (pid.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    removeFolder(d);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Leftovers of other processes are tidied when possible; they never stop a run.
        }
    }

    private static void removeFolder(Path d) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(d);
        } catch (IOException ignored) {
            // Nothing more can be done at exit.
        }
    }
}
