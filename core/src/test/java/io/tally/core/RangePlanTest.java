package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangePlanTest {
    private static final Layout PURCHASE = Layout.detect(
            ByteSource.of(
                    "p.csv",
                    ("DATE,PURCHASE OFFICER NAME," + "INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                                    + "2024-01-01,Ada,I1,1,2\n".repeat(10))
                            .getBytes(StandardCharsets.UTF_8)),
            Tracker.PURCHASE);
    private static final Layout INVENTORY = Layout.detect(
            ByteSource.of(
                    "i.csv",
                    ("Title\nDATE,PURCHASE OFFICER NAME," + "NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                                    + "2024-01-01,Ada,1,2\n".repeat(4))
                            .getBytes(StandardCharsets.UTF_8)),
            Tracker.INVENTORY);

    @Test
    void cut_tilesEachTrackersDataBytes_inFileOrder() {
        RangePlan plan = RangePlan.cut(PURCHASE, INVENTORY, 50);
        for (Tracker t : Tracker.values()) {
            List<RangePlan.Range> ranges = plan.input(t).ranges();
            assertThat(ranges.get(0).start()).isEqualTo(plan.layout(t).dataStart());
            assertThat(ranges.get(ranges.size() - 1).end())
                    .isEqualTo(plan.layout(t).size());
            for (int n = 1; n < ranges.size(); n++) {
                assertThat(ranges.get(n).start()).isEqualTo(ranges.get(n - 1).end());
                assertThat(ranges.get(n).n()).isEqualTo(n);
            }
        }
        assertThat(plan.rangeCount())
                .isEqualTo(plan.input(Tracker.PURCHASE).ranges().size()
                        + plan.input(Tracker.INVENTORY).ranges().size());
        assertThat(plan.startsAtData(plan.input(Tracker.INVENTORY).ranges().get(0)))
                .isTrue();
        assertThat(plan.startsAtData(plan.input(Tracker.INVENTORY).ranges().get(1)))
                .isFalse();
    }

    @Test
    void workOrder_interleavesTheTrackersByDistanceFromTheirDataStart() {
        RangePlan plan = RangePlan.cut(PURCHASE, INVENTORY, 30);
        List<String> order =
                plan.workOrder().stream().map(RangePlan.Range::label).toList();
        assertThat(order).startsWith("purchase-0", "inventory-0", "purchase-1", "inventory-1");
        assertThat(order).hasSize(plan.rangeCount());
    }

    @Test
    void plan_survivesJavaSerialization_asSparkShipsIt() throws Exception {
        RangePlan plan = RangePlan.cut(PURCHASE, INVENTORY, 40);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(plan);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(plan);
        }
    }

    @Test
    void input_refusesRangesThatDoNotTileTheFile() {
        long start = PURCHASE.dataStart();
        assertThatThrownBy(() -> new RangePlan.Input(
                        PURCHASE,
                        List.of(
                                new RangePlan.Range(Tracker.PURCHASE, 0, start, start + 10),
                                new RangePlan.Range(Tracker.PURCHASE, 1, start + 11, PURCHASE.size()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("range 1");
        assertThatThrownBy(() -> new RangePlan.Input(
                        PURCHASE, List.of(new RangePlan.Range(Tracker.PURCHASE, 0, start, start + 10))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not at the end of the file");
        assertThatThrownBy(() -> RangePlan.cut(PURCHASE, INVENTORY, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forThreads_givesEachThreadSeveralRanges_butNoRangeUnderOneMiB() {
        RangePlan plan = RangePlan.forThreads(PURCHASE, INVENTORY, 2);
        assertThat(plan.rangeCount()).isEqualTo(2); // tiny files: one range each
    }

    /**
     * A range's partial grows with the keys in it, and a few are in flight at once, so the range size chosen
     * from the input size also stays a small share of the heap: a million long officer names then fit.
     */
    @Test
    void autoRangeBytes_staysASmallShareOfTheHeap() {
        long heap = 300L << 20;
        assertThat(RangePlan.autoRangeBytes(280_000_000L, 2, heap)).isLessThanOrEqualTo(heap / 64);
        assertThat(RangePlan.autoRangeBytes(1_690_000_000L, 2, 8L << 30)).isEqualTo(64L << 20);
        assertThat(RangePlan.autoRangeBytes(10_000L, 2, heap)).isEqualTo(1L << 20);
        assertThat(RangePlan.autoRangeBytes(16L << 20, 2, 16L << 30)).isEqualTo((16L << 20) / 8 + 1);
    }
}
