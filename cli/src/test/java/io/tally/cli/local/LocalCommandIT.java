package io.tally.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.cli.TallyCli;
import io.tally.core.FolderLock;
import io.tally.core.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally local} as a user runs it: exit codes, and nothing left in the temp folder. */
class LocalCommandIT {
    @TempDir
    Path tmp;

    private static List<Path> workFolders() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> d =
                Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), WorkFolder.PREFIX + "*")) {
            d.forEach(out::add);
        }
        return out;
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aRun_removesItsWorkFolder_andOrphansOfKilledRuns() throws Exception {
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
        Path orphan = Files.createTempDirectory(tmpdir, WorkFolder.PREFIX + deadPid() + "-");
        Files.writeString(orphan.resolve("big-object"), "x".repeat(1000));
        FolderLock.hold(orphan).close(); // a killed run's lock: the kernel released it
        Path alive = Files.createTempDirectory(
                tmpdir, WorkFolder.PREFIX + ProcessHandle.current().pid() + "-");
        Path oldUnowned = Files.createTempDirectory(tmpdir, WorkFolder.PREFIX);
        Files.setLastModifiedTime(oldUnowned, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        List<Path> before = workFolders();

        StringWriter err = new StringWriter();
        int code = TallyCli.execute(
                new String[] {
                    "local", "--rows", "2000", "--out", tmp.resolve("r").toString()
                },
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(tmp.resolve("r").resolve(ReportWriter.SUMMARY)).exists();
        assertThat(orphan).as("a killed run's folder").doesNotExist();
        assertThat(oldUnowned).as("an older Tally's folder, hours old").doesNotExist();
        assertThat(alive).as("a running process's folder").exists();
        List<Path> after = workFolders();
        assertThat(after).as("this run's folder is gone").allMatch(before::contains);
        WorkFolderCleanup.delete(alive);
    }

    @Test
    void unreadableInput_exitsTwo_withOneLine() throws IOException {
        Path p = Files.writeString(tmp.resolve("p.csv"), "NOT,A,TRACKER\n1,2,3\n");
        Path i = Files.writeString(
                tmp.resolve("i.csv"),
                "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS," + "INVENTORY CHICKEN WEIGHT\n2024-01-01,Ada,1,1\n");
        StringWriter err = new StringWriter();
        int code = TallyCli.execute(
                new String[] {
                    "local",
                    "--purchase",
                    p.toString(),
                    "--inventory",
                    i.toString(),
                    "--out",
                    tmp.resolve("r").toString()
                },
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).isEqualTo(TallyCli.USAGE);
        List<String> errors =
                err.toString().lines().filter(l -> l.startsWith("tally: ")).toList();
        assertThat(errors)
                .singleElement()
                .satisfies(l -> assertThat(l).contains("failed: p.csv").contains("missing columns"));
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    /** Test-side removal of a folder this test planted. */
    static final class WorkFolderCleanup {
        static void delete(Path d) throws IOException {
            try (var walk = Files.walk(d)) {
                walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
