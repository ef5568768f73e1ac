package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OfficerDictionaryTest {
    private static int idOf(OfficerDictionary d, String raw) {
        byte[] b = ("x," + raw + ",y").getBytes(StandardCharsets.UTF_8);
        return d.idOf(b, 2, b.length - 2);
    }

    @Test
    void spellingsOfOneName_shareAnId_andTheNameIsTitleCased() {
        OfficerDictionary d = new OfficerDictionary();
        int a = idOf(d, "ADA OBI");
        assertThat(idOf(d, "ada  obi")).isEqualTo(a);
        assertThat(idOf(d, "Ada Obi")).isEqualTo(a);
        assertThat(idOf(d, "ADA OBI")).isEqualTo(a);
        assertThat(d.idOfName("Ada Obi")).isEqualTo(a);
        assertThat(idOf(d, "Bola")).isNotEqualTo(a);
        assertThat(d.name(a)).isEqualTo("Ada Obi");
        assertThat(d.size()).isEqualTo(2);
    }

    @Test
    void manyOfficers_keepTheirIdsAndNames_throughGrowth() {
        OfficerDictionary d = new OfficerDictionary();
        for (int i = 0; i < 50_000; i++) {
            assertThat(idOf(d, (i % 2 == 0 ? "OFFICER " : "officer ") + i)).isEqualTo(i);
        }
        for (int i = 0; i < 50_000; i += 997) {
            assertThat(idOf(d, "Officer " + i)).isEqualTo(i);
            assertThat(d.name(i)).isEqualTo("Officer " + i);
        }
        OfficerDictionary other = new OfficerDictionary();
        other.idOfName("Nobody");
        assertThat(other.find(d, 123)).isEqualTo(-1);
        assertThat(other.idOfName(d, 123)).isEqualTo(1);
        assertThat(other.find(d, 123)).isEqualTo(1);
    }

    @Test
    void compare_ordersNamesAsStringCompareTo_acrossDictionaries() {
        // Characters on both sides of the UTF-8 / UTF-16 order difference: U+E000-U+FFFF against surrogate pairs.
        String[] pool = {"a", "B", "é", "Ọ", "\uE000", "\uFFFD", "\uD83D\uDE00", "\uD800\uDC00", "z", " ", "ß"};
        Random random = new Random(7);
        OfficerDictionary left = new OfficerDictionary();
        OfficerDictionary right = new OfficerDictionary();
        for (int round = 0; round < 20_000; round++) {
            String x = name(random, pool);
            String y = name(random, pool);
            int a = left.idOfName(x);
            int b = right.idOfName(y);
            assertThat(Integer.signum(OfficerDictionary.compare(left, a, right, b)))
                    .as("%s vs %s", x, y)
                    .isEqualTo(Integer.signum(x.compareTo(y)));
        }
    }

    private static String name(Random random, String[] pool) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(pool[random.nextInt(pool.length)]);
        }
        return sb.toString();
    }

    @Test
    void intSort_sortsStablyByTheComparator() {
        Random random = new Random(3);
        for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
            int[] a = random.ints(n, 0, 50).toArray();
            int[] want = IntStream.of(a)
                    .boxed()
                    .sorted(Comparator.comparingInt(v -> v % 10))
                    .mapToInt(Integer::intValue)
                    .toArray();
            IntSort.sort(a, (x, y) -> Integer.compare(x % 10, y % 10));
            assertThat(a).containsExactly(want);
        }
    }
}
