package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The source runs ahead on its own thread; the caller gets every item in order, and what the source threw. */
class PrefetchTest {
    @Test
    void givesEveryItemInOrder_whateverTheBatchSize() {
        for (int size : new int[] {0, 1, 7, 4096, 10_000}) {
            for (int batch : new int[] {1, 3, 4096}) {
                List<Integer> got = new ArrayList<>();
                try (Prefetch<Integer> p =
                        new Prefetch<>(IntStream.range(0, size).boxed().iterator(), batch, "test")) {
                    p.forEachRemaining(got::add);
                    assertThat(p.hasNext()).isFalse();
                }
                assertThat(got)
                        .containsExactlyElementsOf(
                                IntStream.range(0, size).boxed().toList());
            }
        }
    }

    @Test
    void whatTheSourceThrows_isThrownToTheCaller_afterTheItemsBeforeIt() {
        Iterator<Integer> failing = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (n == 5) {
                    throw new IllegalStateException("run file gone");
                }
                return n++;
            }
        };
        List<Integer> got = new ArrayList<>();
        try (Prefetch<Integer> p = new Prefetch<>(failing, 2, "test")) {
            assertThatThrownBy(() -> p.forEachRemaining(got::add))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("run file gone");
        }
        assertThat(got).containsExactly(0, 1, 2, 3);
    }

    @Test
    void closing_stopsAnEndlessSource() throws InterruptedException {
        Iterator<Integer> endless = IntStream.iterate(0, i -> i + 1).boxed().iterator();
        Prefetch<Integer> p = new Prefetch<>(endless, 10, "endless-test");
        assertThat(p.next()).isEqualTo(0);
        p.close();
        for (int i = 0; i < 50 && alive("endless-test"); i++) {
            Thread.sleep(100);
        }
        assertThat(alive("endless-test")).isFalse();
    }

    private static boolean alive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
