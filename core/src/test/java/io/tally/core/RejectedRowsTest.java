package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RejectedRowsTest {
    private long budget;
    private int chunk;

    @BeforeEach
    void keepLimits() {
        budget = RejectedRows.memoryBudget;
        chunk = RejectedRows.builderChunk;
    }

    @AfterEach
    void restoreLimits() {
        RejectedRows.memoryBudget = budget;
        RejectedRows.builderChunk = chunk;
    }

    private static List<RejectedRow> rows(int n) {
        List<RejectedRow> rows = new ArrayList<>();
        RejectedRow.Code[] codes = RejectedRow.Code.values();
        for (int i = 0; i < n; i++) {
            rows.add(new RejectedRow(
                    i * 3L + 1,
                    codes[i % codes.length],
                    "DATE=" + i + "/13/2024",
                    i + "/13/2024|Ada Ọbị|INV-" + i + "|10|\"20,5\"|1.25"));
        }
        return rows;
    }

    private static List<Path> spillFiles() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path d : dirs.filter(d -> d.getFileName()
                            .toString()
                            .startsWith("tally-spill-" + ProcessHandle.current().pid() + "-"))
                    .toList()) {
                try (Stream<Path> files = Files.list(d)) {
                    all.addAll(files.toList());
                }
            }
        }
        return all;
    }

    @Test
    void fewRows_stayInMemory_andComeBackInOrder() throws IOException {
        List<Path> before = spillFiles();
        RejectedRows kept = RejectedRows.of(rows(100));
        assertThat(kept).containsExactlyElementsOf(rows(100));
        assertThat(kept.size()).isEqualTo(100);
        assertThat(spillFiles()).isEqualTo(before);
    }

    @Test
    void manyRows_goToDisk_andComeBackInOrder_asOftenAsAsked() throws IOException {
        RejectedRows.builderChunk = 4096;
        List<Path> before = spillFiles();
        List<RejectedRow> want = rows(20_000);
        RejectedRows spilled = RejectedRows.of(want);
        assertThat(spillFiles()).hasSize(before.size() + 1);
        assertThat(spilled).containsExactlyElementsOf(want);
        assertThat(spilled).containsExactlyElementsOf(want);
        assertThat(spilled).isEqualTo(RejectedRows.of(want));
    }

    @Test
    void overTheProcessBudget_sealedRowsGoToDisk_andMemoryStaysWithinIt() {
        RejectedRows.memoryBudget = 64 << 10;
        List<RejectedRows> held = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            held.add(RejectedRows.of(rows(200)));
            assertThat(RejectedRows.bytesInMemory()).isLessThanOrEqualTo(64 << 10);
        }
        for (RejectedRows r : held) {
            assertThat(r).containsExactlyElementsOf(rows(200));
        }
    }

    @Test
    void concat_movesEachRunByItsOffset() {
        RejectedRows.builderChunk = 1;
        RejectedRows a = RejectedRows.of(rows(3));
        RejectedRows b = RejectedRows.of(rows(2));
        RejectedRows both = RejectedRows.concat(List.of(a, RejectedRows.empty(), b), new long[] {10, 20, 100});
        assertThat(both).extracting(RejectedRow::row).containsExactly(11L, 14L, 17L, 101L, 104L);
        assertThat(both.size()).isEqualTo(5);
    }

    @Test
    void partialFormat_roundTrips_fromMemoryAndFromDisk_withOffsetsApplied() throws IOException {
        for (int spillAt : new int[] {1 << 20, 1}) {
            RejectedRows.builderChunk = spillAt;
            RejectedRows rows = RejectedRows.concat(List.of(RejectedRows.of(rows(50))), new long[] {7});
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            rows.writeTo(new DataOutputStream(bytes));
            RejectedRows back =
                    RejectedRows.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 50);
            assertThat(back).isEqualTo(rows);
            assertThat(back.iterator().next().row()).isEqualTo(8);
        }
    }

    @Test
    void anUnknownCode_isACorruptPartial() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(1);
        out.writeByte(RejectedRow.Code.values().length);
        assertThatThrownBy(() ->
                        RejectedRows.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown rejection code");
    }

    @Test
    void rowsStillReachableThroughAConcatenation_keepTheirFile_andTheirMemory() throws Exception {
        RejectedRows.builderChunk = 1;
        List<RejectedRow> want = rows(50);
        // As Partial.finish does: the segments' rows become unreachable, the tracker's concatenation stays.
        RejectedRows joined = RejectedRows.concat(List.of(RejectedRows.of(want)), new long[] {0});
        RejectedRows.builderChunk = 1 << 20;
        RejectedRows inMemory = RejectedRows.concat(List.of(RejectedRows.of(want)), new long[] {0});
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        inMemory.writeTo(new DataOutputStream(encoded));
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(joined).containsExactlyElementsOf(want);
        assertThat(inMemory).containsExactlyElementsOf(want);
        // Still counted against the budget: the concatenation holds those bytes.
        assertThat(RejectedRows.bytesInMemory()).isGreaterThanOrEqualTo(encoded.size());
    }

    @Test
    void unreachableRows_haveTheirFileDeleted() throws Exception {
        RejectedRows.builderChunk = 1;
        List<Path> before = spillFiles();
        RejectedRows.of(rows(10));
        List<Path> made = new ArrayList<>(spillFiles());
        made.removeAll(before);
        assertThat(made).hasSize(1);
        for (int i = 0; i < 100 && Files.exists(made.get(0)); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(made.get(0)).doesNotExist();
    }
}
