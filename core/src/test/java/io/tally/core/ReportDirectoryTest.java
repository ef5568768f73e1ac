package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report set changes together, or not at all. */
class ReportDirectoryTest {
    @TempDir
    Path tmp;

    /** A set whose four files all carry {@code mark}. */
    private static Void writeSet(Path set, String mark) throws IOException {
        for (String name : ReportWriter.FILES) {
            Files.writeString(set.resolve(name), mark + "\n");
        }
        return null;
    }

    private static List<String> marks(Path out) throws IOException {
        List<String> marks = new ArrayList<>();
        for (String name : ReportWriter.FILES) {
            marks.add(Files.readString(out.resolve(name)).strip());
        }
        return marks;
    }

    private List<String> sets(ReportDirectory d) throws IOException {
        try (Stream<Path> s = Files.list(d.sets())) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(".lock") && !n.endsWith(".complete"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void publish_replacesTheWholeSet_keepsTheOneItReplaced_andRemovesOlderOnes() throws IOException {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        assertThat(marks(out)).containsOnly("a");
        assertThat(Files.isSymbolicLink(out)).isTrue();
        d.publish("run-b", set -> writeSet(set, "b"));
        d.publish("run-c", set -> writeSet(set, "c"));
        assertThat(marks(out)).containsOnly("c");
        assertThat(sets(d)).hasSize(2).anyMatch(n -> n.startsWith("run-c-")).anyMatch(n -> n.startsWith("run-b-"));
    }

    @Test
    void aWriterThatFails_leavesTheOldSet_andNoLeftover() throws IOException {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        assertThatThrownBy(() -> d.publish("run-b", set -> {
                    Files.writeString(set.resolve(ReportWriter.DISCREPANCIES), "half");
                    throw new IOException("disk full");
                }))
                .hasMessage("disk full");
        assertThat(marks(out)).containsOnly("a");
        assertThat(sets(d)).hasSize(1);
    }

    @Test
    void leftoversOfAKilledRun_areRemovedAtTheNextStart_andTheCurrentSetStays() throws IOException {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        // What kill -9 can leave: a half-written set, a link not yet renamed into place.
        Path half = Files.createDirectory(d.sets().resolve("run-b-12345678"));
        Files.writeString(half.resolve(ReportWriter.DISCREPANCIES), "trunc");
        Files.createSymbolicLink(d.sets().resolve(".linking"), half);
        d.cleanStale();
        assertThat(sets(d)).hasSize(1).allMatch(n -> n.startsWith("run-a-"));
        assertThat(marks(out)).containsOnly("a");
    }

    @Test
    void killedWhileAdoptingAPlainFolder_theNextStartLinksTheNewestCompleteSetBack() throws IOException {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        // What kill -9 between moving the folder aside and linking leaves: no out, complete sets aside.
        Path target = out.toRealPath();
        Files.delete(out);
        Path half = Files.createDirectory(d.sets().resolve("run-b-00000000"));
        Files.writeString(half.resolve(ReportWriter.DISCREPANCIES), "trunc");
        d.cleanStale();
        assertThat(out.toRealPath()).isEqualTo(target);
        assertThat(marks(out)).containsOnly("a");
        assertThat(sets(d)).hasSize(1);
    }

    @Test
    void readers_seeOneWholeSet_whileSetsAreReplaced() throws Exception {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-0", set -> writeSet(set, "0"));
        AtomicBoolean stop = new AtomicBoolean();
        List<String> mixes = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Path set = out.toRealPath(); // a reader that opens the folder once sees one set
                    List<String> m = marks(set);
                    if (m.stream().distinct().count() != 1) {
                        mixes.add(m.toString());
                    }
                } catch (IOException e) {
                    // the set it resolved was replaced twice while it read: it reads again
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 200; i++) {
            String mark = Integer.toString(i);
            d.publish("run-" + i, set -> writeSet(set, mark));
        }
        stop.set(true);
        reader.join();
        assertThat(mixes).isEmpty();
        assertThat(marks(out)).containsOnly("200");
    }

    @Test
    void aPlainFolderOfReports_isAdopted() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        writeSet(out, "old");
        Files.createDirectory(out.resolve(".tally-abc-1")); // staging left by an older Tally
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        assertThat(Files.isSymbolicLink(out)).isTrue();
        assertThat(marks(out)).containsOnly("a");
    }

    @Test
    void aFolderHoldingOtherFiles_isRefused_andLeftAsItWas() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("thesis.docx"), "precious");
        ReportDirectory d = ReportDirectory.of(out);
        assertThatThrownBy(() -> d.publish("run-a", set -> writeSet(set, "a")))
                .isInstanceOf(OutputFolderException.class)
                .hasMessageContaining("thesis.docx")
                .hasMessageContaining("holds files Tally did not write");
        assertThat(Files.readString(out.resolve("thesis.docx"))).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(out)).isFalse();
    }

    @Test
    void aFileTheUserPutInTheLinkedFolder_isRefused_andNeverDeleted() throws IOException {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.createDirectories(out.resolve("drafts"));
        Files.writeString(out.resolve("drafts").resolve("q3.txt"), "mine too");
        for (String run : List.of("run-b", "run-c", "run-d")) {
            assertThatThrownBy(() -> d.publish(run, set -> writeSet(set, run)))
                    .isInstanceOf(OutputFolderException.class)
                    .hasMessageContaining("holds files Tally did not write (drafts, notes.txt)");
            d.cleanStale();
        }
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(Files.readString(out.resolve("drafts").resolve("q3.txt"))).isEqualTo("mine too");
        assertThat(marks(out)).containsOnly("a");
    }

    @Test
    void aSetHoldingAUsersFile_isKeptWhenOlderSetsAreRemoved() throws IOException {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        Path setA = out.toRealPath();
        d.publish("run-b", set -> writeSet(set, "b"));
        // Written into the set of run a while run b was publishing, so no check could see it.
        Files.writeString(setA.resolve("notes.txt"), "mine");
        Files.writeString(d.sets().resolve("mine.txt"), "mine as well");
        d.publish("run-c", set -> writeSet(set, "c"));
        d.cleanStale();
        d.publish("run-d", set -> writeSet(set, "d"));
        assertThat(marks(out)).containsOnly("d");
        assertThat(Files.readString(setA.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(Files.readString(d.sets().resolve("mine.txt"))).isEqualTo("mine as well");
        assertThat(sets(d)).hasSize(4); // run d's, run c's it replaced, run a's the user wrote in, and mine.txt
    }

    @Test
    void check_namesThePathAndTheReason() throws IOException {
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertThatThrownBy(() -> ReportDirectory.of(file).check())
                .isInstanceOf(OutputFolderException.class)
                .hasMessage(file + ": is a file, not a folder");
        assertThatThrownBy(() -> ReportDirectory.of(Path.of("/dev/null")).check())
                .hasMessage("/dev/null: is a file, not a folder");
        assertThatThrownBy(() -> ReportDirectory.of(file.resolve("sub")).check())
                .hasMessage(file.resolve("sub") + ": cannot be created: " + file + " is a file, not a folder");
    }

    @Test
    void inputsInsideTheReportFolder_areRefused() throws IOException {
        Path out = tmp.resolve("out");
        ReportDirectory d = ReportDirectory.of(out);
        d.publish("run-a", set -> writeSet(set, "a"));
        Path input = out.resolve(ReportWriter.OFFICERS);
        assertThatThrownBy(() -> d.refuseInputsInside(List.of(tmp.resolve("elsewhere.csv"), input)))
                .isInstanceOf(OutputFolderException.class)
                .hasMessageContaining("is inside the report folder")
                .hasMessageContaining("officers.csv");
    }
}
