package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrderedMergeTest {
    private static final String PURCHASE = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
            + "PURCHASED CHICKEN WEIGHT\n"
            + "2024-01-01,\"Ada\nObi\",I1,1,2\n".repeat(30) + "2024-01-02,Bo,I2,x,2\n";
    private static final String INVENTORY = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
            + "2024-01-01,Ada Obi,1,2\n".repeat(5);

    private static Map<Tracker, ByteSource> sources() {
        Map<Tracker, ByteSource> s = new EnumMap<>(Tracker.class);
        s.put(Tracker.PURCHASE, ByteSource.of("p.csv", PURCHASE.getBytes(StandardCharsets.UTF_8)));
        s.put(Tracker.INVENTORY, ByteSource.of("i.csv", INVENTORY.getBytes(StandardCharsets.UTF_8)));
        return s;
    }

    private static RangePlan plan(Map<Tracker, ByteSource> s, long rangeBytes) {
        return RangePlan.cut(
                Layout.detect(s.get(Tracker.PURCHASE), Tracker.PURCHASE),
                Layout.detect(s.get(Tracker.INVENTORY), Tracker.INVENTORY),
                rangeBytes);
    }

    @Test
    void tinyRangesCutInsideQuotedNewlines_areReRead_andGiveTheOneRangeTotals() {
        Map<Tracker, ByteSource> s = sources();
        OrderedMerge.Fetch guess = (r, reader) -> reader.read(r.start(), r.end(), false);
        OrderedMerge.Merged whole = new Reconcile(DateOrder.DAY_FIRST).merge(plan(s, 1 << 20), s, guess, 1);
        OrderedMerge.Merged tiny = new Reconcile(DateOrder.DAY_FIRST).merge(plan(s, 7), s, guess, 3);

        for (Tracker t : Tracker.values()) {
            TrackerTotals a = whole.totals(t);
            TrackerTotals b = tiny.totals(t);
            assertThat(b.rowsRead()).isEqualTo(a.rowsRead());
            assertThat(b.accepted()).isEqualTo(a.accepted());
            assertThat(b.rejected()).isEqualTo(a.rejected());
            assertThat(b.keyCount()).isEqualTo(a.keyCount());
        }
        assertThat(whole.totals(Tracker.PURCHASE).accepted()).isEqualTo(30);
        assertThat(whole.totals(Tracker.PURCHASE).rejected()).singleElement().satisfies(r -> assertThat(r.reason())
                .isEqualTo("BAD_NUMBER: NUMBER OF BIRDS=x"));
    }

    @Test
    void everyRangeIsFetchedOnce() {
        Map<Tracker, ByteSource> s = sources();
        RangePlan plan = plan(s, 64);
        AtomicInteger fetched = new AtomicInteger();
        new Reconcile(DateOrder.DAY_FIRST)
                .merge(
                        plan,
                        s,
                        (r, reader) -> {
                            fetched.incrementAndGet();
                            return reader.read(r.start(), r.end(), plan.startsAtData(r));
                        },
                        2);
        assertThat(fetched.get()).isEqualTo(plan.rangeCount());
    }

    @Test
    void aFetchThatFails_failsTheMerge_withItsOwnException() {
        Map<Tracker, ByteSource> s = sources();
        assertThatThrownBy(() -> new Reconcile(DateOrder.DAY_FIRST)
                        .merge(
                                plan(s, 64),
                                s,
                                (r, reader) -> {
                                    throw new IllegalStateException("partial " + r.label() + " is gone");
                                },
                                2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is gone");
    }

    @Test
    void aPartialOfTheWrongRange_failsTheMerge() {
        Map<Tracker, ByteSource> s = sources();
        RangePlan plan = plan(s, 64);
        assertThatThrownBy(() -> new Reconcile(DateOrder.DAY_FIRST)
                        .merge(
                                plan,
                                s,
                                (r, reader) -> r.n() == 1
                                        ? reader.read(
                                                r.end(),
                                                Math.min(
                                                        r.end() + 64,
                                                        plan.layout(r.tracker()).size()),
                                                false)
                                        : reader.read(r.start(), r.end(), false),
                                1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belong to no range");
    }
}
