package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryUseTest {
    @Test
    void describe_namesWhatGrew() {
        assertThat(MemoryUse.describe(2_000, 1_000_000, 0, 0))
                .isEqualTo(
                        "2,000 (date, officer) keys, 1,000,000 "
                                + "distinct officers (most of the memory), 0 rejected rows and 0 MB of distinct invoice numbers");
        // Rejected rows wait on disk, so ten million of them are named but never blamed.
        assertThat(MemoryUse.describe(500, 20, 10_000_000, 0))
                .startsWith("500 (date, officer) keys (most of the memory)")
                .contains("10,000,000 rejected rows and");
        assertThat(MemoryUse.describe(1_000_000, 2_740, 5, 0))
                .startsWith("1,000,000 (date, officer) keys (most of the memory)");
        assertThat(MemoryUse.describe(10, 1, 0, 900L << 20))
                .endsWith("900 MB of distinct invoice numbers (most of the memory)");
    }

    @Test
    void theMerge_recordsWhatItHolds() {
        String p = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                + "2024-01-01,Ada,I1,1,1\n2024-01-02,Bo,I2,1,1\n2024-01-02,Bo,I3,x,1\n";
        String i = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n2024-01-01,Ada,1,1\n";
        Map<Tracker, ByteSource> s = new EnumMap<>(Tracker.class);
        s.put(Tracker.PURCHASE, ByteSource.of("p.csv", p.getBytes(StandardCharsets.UTF_8)));
        s.put(Tracker.INVENTORY, ByteSource.of("i.csv", i.getBytes(StandardCharsets.UTF_8)));
        RangePlan plan = RangePlan.cut(
                Layout.detect(s.get(Tracker.PURCHASE), Tracker.PURCHASE),
                Layout.detect(s.get(Tracker.INVENTORY), Tracker.INVENTORY),
                1 << 20);
        OrderedMerge.Merged merged = new Reconcile(DateOrder.DAY_FIRST)
                .merge(plan, s, (r, reader) -> reader.read(r.start(), r.end(), true), 1);
        long[] counts = merged.memory().counts();
        assertThat(counts[0]).isEqualTo(3);
        assertThat(counts[1])
                .as("distinct officers: Ada is on both sides, and held once")
                .isEqualTo(2);
        assertThat(counts[2]).isEqualTo(1);
        assertThat(counts[3]).as("invoice set bytes").isPositive();
    }

    /** Both trackers' totals share one dictionary: a million officers on both sides are a million names held. */
    @Test
    void theMerge_holdsEachOfficersNameOnce() {
        String p = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                + "2024-01-01,Ada,I1,1,1\n2024-01-02,Bo,I2,1,1\n";
        String i = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n2024-01-01,ADA,1,1\n"
                + "2024-01-03,Cy,1,1\n";
        Map<Tracker, ByteSource> s = new EnumMap<>(Tracker.class);
        s.put(Tracker.PURCHASE, ByteSource.of("p.csv", p.getBytes(StandardCharsets.UTF_8)));
        s.put(Tracker.INVENTORY, ByteSource.of("i.csv", i.getBytes(StandardCharsets.UTF_8)));
        RangePlan plan = RangePlan.cut(
                Layout.detect(s.get(Tracker.PURCHASE), Tracker.PURCHASE),
                Layout.detect(s.get(Tracker.INVENTORY), Tracker.INVENTORY),
                16);
        OrderedMerge.Merged m = new Reconcile(DateOrder.DAY_FIRST)
                .merge(plan, s, (r, reader) -> reader.read(r.start(), r.end(), false), 2);
        assertThat(m.totals(Tracker.PURCHASE).officers())
                .isSameAs(m.totals(Tracker.INVENTORY).officers());
        assertThat(m.totals(Tracker.PURCHASE).officers().size()).isEqualTo(3);
    }

    /**
     * A key's invoice texts held by a range still being read count, so memory that runs out there is blamed on
     * them: 3,000 distinct invoice numbers of 1,000 bytes on one key are about 3 MB of text, the rest is one key.
     * They share 996-byte prefixes, so their front-coded set is small, but each fold spells every text out.
     */
    @Test
    void invoicesHeldByAReader_count_beforeAnyPartialIsMerged() {
        StringBuilder csv = new StringBuilder(
                "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS," + "PURCHASED CHICKEN WEIGHT\n");
        for (int n = 0; n < 3_000; n++) {
            csv.append("2024-01-01,Ada,").append(String.format("%01000d", n)).append(",1,2.000\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        ByteSource source = ByteSource.of("p.csv", bytes);
        Layout layout = Layout.detect(source, Tracker.PURCHASE);
        Reconcile run = new Reconcile(DateOrder.DAY_FIRST);
        run.reader(layout, source).read(layout.dataStart(), bytes.length, true);
        assertThat(run.memory().describe())
                .endsWith(" MB of distinct invoice numbers (most of the memory)")
                .doesNotContain(" 0 MB of");
        assertThat(run.memory().counts()[3]).isBetween(2_900_000L, 8_000_000L);
    }

    @Test
    void rowsRejectedByAReader_count_beforeAnyPartialIsMerged() {
        Reconcile run = new Reconcile(DateOrder.DAY_FIRST);
        assertThat(run.memory().describe()).isEqualTo("nothing yet (it ran out while reading the first ranges)");
        byte[] csv = ("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                        + "13/13/2024,Ada,INV-1,1,2.000\n14/13/2024,Ada,INV-2,1,2.000\n2024-01-01,Ada,INV-3,1,2.000\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteSource source = ByteSource.of("p.csv", csv);
        Layout layout = Layout.detect(source, Tracker.PURCHASE);
        run.reader(layout, source).read(layout.dataStart(), csv.length, true);
        assertThat(run.memory().describe())
                .isEqualTo("0 (date, officer) keys, 0 distinct officers, 2 rejected rows "
                        + "and 0 MB of distinct invoice numbers");
    }

    /** Two runs in one process (tally local's reducer beside a planner, two tests at once) count apart. */
    @Test
    void twoRunsInOneProcess_countApart() {
        byte[] csv = ("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                        + "13/13/2024,Ada,INV-1,1,2.000\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteSource source = ByteSource.of("p.csv", csv);
        Layout layout = Layout.detect(source, Tracker.PURCHASE);
        Reconcile one = new Reconcile(DateOrder.DAY_FIRST);
        Reconcile other = new Reconcile(DateOrder.DAY_FIRST);
        one.reader(layout, source).read(layout.dataStart(), csv.length, true);
        assertThat(one.memory().describe()).contains("1 rejected rows");
        assertThat(other.memory().describe()).isEqualTo("nothing yet (it ran out while reading the first ranges)");
    }

    /** Memory that runs out in a local run is reported with what that run held, after its totals are let go. */
    @Test
    void aLocalRunThatRunsOutOfMemory_saysWhatItHeld(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.csv");
        Path i = dir.resolve("i.csv");
        Files.writeString(
                p,
                "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                        + "2024-01-01,Ada,I1,1,1\n2024-01-02,Bo,I2,x,1\n");
        Files.writeString(
                i, "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n2024-01-01,Ada,1,1\n");
        LocalRun.Reader exhausted = new LocalRun.Reader() {
            @Override
            public String executor() {
                return "test";
            }

            @Override
            public Map<Tracker, TrackerTotals> read(
                    Path purchase, Path inventory, LocalRun.Options options, Reconcile run, Engine.Progress progress)
                    throws IOException {
                LocalRun.THREADS.read(purchase, inventory, options, run, progress);
                throw new OutOfMemoryError("Java heap space");
            }
        };
        assertThatThrownBy(() -> LocalRun.run(
                        p, i, dir.resolve("out"), LocalRun.Options.defaults(), Engine.Progress.NONE, exhausted))
                .isInstanceOf(RunTooLarge.class)
                .hasMessage("2 (date, officer) keys, 1 distinct officers, 1 rejected rows "
                        + "and 0 MB of distinct invoice numbers")
                .hasCauseInstanceOf(OutOfMemoryError.class);
    }
}
