package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Invoice sets are exact: equal counts only for equal texts, whatever the texts. */
class InvoiceSetsTest {
    private static TreeSet<String> sorted(List<String> texts) {
        // Unsigned byte order of UTF-8 is code point order, which TreeSet's String order matches for BMP text.
        TreeSet<String> set = new TreeSet<>((a, b) ->
                Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        set.addAll(texts);
        return set;
    }

    private static KeyTable table(List<String> texts) {
        KeyTable t = new KeyTable(16);
        int slot = t.slot(KeyTable.key(1, 0));
        for (String s : texts) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            t.addInvoice(slot, b, 0, b.length);
        }
        t.compact();
        return t;
    }

    /**
     * Keys whose rows interleave, with invoices mostly in increasing order (the run a key's set is built from
     * directly), repeats, texts out of order and long runs: every key gets exactly its distinct texts.
     */
    @Property(tries = 200)
    void interleavedKeys_inAndOutOfOrder_giveEachKeyItsDistinctTexts(@ForAll long seed) {
        Random random = new Random(seed);
        int keys = 1 + random.nextInt(5);
        KeyTable t = new KeyTable(16);
        List<List<String>> added = new ArrayList<>();
        int[] next = new int[keys];
        for (int k = 0; k < keys; k++) {
            t.slot(KeyTable.key(1, k));
            added.add(new ArrayList<>());
            next[k] = random.nextInt(1000);
        }
        int rows = random.nextInt(3000);
        int slot = 0;
        for (int r = 0; r < rows; r++) {
            if (random.nextInt(random.nextBoolean() ? 2 : 40) == 0) {
                slot = random.nextInt(keys);
            }
            String text =
                    switch (random.nextInt(12)) {
                        case 0 -> "INV-" + random.nextInt(2000); // out of order, or a repeat
                        case 1 ->
                            added.get(slot).isEmpty()
                                    ? ""
                                    : added.get(slot).get(added.get(slot).size() - 1);
                        case 2 -> "INV-" + next[slot] + "-" + "x".repeat(random.nextInt(40));
                        default -> "INV-" + next[slot]++;
                    };
            added.get(slot).add(text);
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            t.addInvoice(slot, b, 0, b.length);
        }
        t.compact();
        for (int k = 0; k < keys; k++) {
            TreeSet<String> expected = sorted(added.get(k));
            assertThat(t.invoiceCount(k)).isEqualTo(expected.size());
            if (!expected.isEmpty()) {
                assertThat(InvoiceSets.texts(t.invoiceSet(k), t.invoiceCount(k)))
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void textsThatCollidedUnderTheOldUnkeyedHash_countAsTwo() {
        KeyTable t = table(List.of("INV-2024-0000001", "INV-ENLZWsxw=Js_"));
        assertThat(t.invoiceCount(0)).isEqualTo(2);
    }

    @Property(tries = 300)
    void addingAndFolding_givesTheDistinctTexts(@ForAll @Size(max = 400) List<@StringLength(max = 40) String> texts) {
        KeyTable t = table(texts);
        TreeSet<String> expected = sorted(texts);
        assertThat(t.invoiceCount(0)).isEqualTo(expected.size());
        assertThat(InvoiceSets.texts(t.invoiceSet(0), t.invoiceCount(0))).containsExactlyElementsOf(expected);
    }

    @Property(tries = 200)
    void union_ofTwoSets_isTheSetOfBoth(
            @ForAll @Size(max = 200) List<@StringLength(max = 20) String> a,
            @ForAll @Size(max = 200) List<@StringLength(max = 20) String> b) {
        KeyTable ta = table(a);
        KeyTable tb = table(b);
        KeyTable merged = new KeyTable(16);
        int slot = merged.slot(KeyTable.key(1, 0));
        merged.absorb(slot, 0, 0, 0, ta.invoiceSet(0), ta.invoiceCount(0));
        merged.absorb(slot, 0, 0, 0, tb.invoiceSet(0), tb.invoiceCount(0));
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        assertThat(InvoiceSets.texts(merged.invoiceSet(0), merged.invoiceCount(0)))
                .containsExactlyElementsOf(sorted(all));
    }

    @Test
    void manyInvoicesOnOneKey_foldALogarithmicNumberOfTimes() {
        KeyTable t = new KeyTable(16);
        int slot = t.slot(KeyTable.key(1, 0));
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            byte[] b = String.format("INV-2024-%09d", (i * 7919L) % n).getBytes(StandardCharsets.UTF_8);
            t.addInvoice(slot, b, 0, b.length);
        }
        t.compact();
        assertThat(t.invoiceCount(slot)).isEqualTo(n);
        // Each fold at least doubles the set: about log2(300,000 x 5 bytes / 2 KiB), not 300,000 x 18 / 2 KiB.
        assertThat(t.folds).isLessThan(40);
        // What the memory line counts: the set, and the room its 300,000 texts of 18 bytes were spelled out in.
        long spelledOut = 300_000L * 18;
        assertThat(t.invoiceBytes())
                .isBetween(t.invoiceSet(slot).length + spelledOut, t.invoiceSet(slot).length + 4 * spelledOut);
    }

    @Test
    void anEmptyTextAfterAFold_isStillCounted() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add("x".repeat(40) + i);
        }
        texts.add("");
        assertThat(table(texts).invoiceCount(0)).isEqualTo(61);
    }

    @Test
    void sequentialInvoiceNumbers_costFewerBytesThanA64BitHashEach() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            texts.add(String.format("INV-2024-%07d", 1_000_000 + i));
        }
        KeyTable t = table(texts);
        assertThat(t.invoiceCount(0)).isEqualTo(1000);
        assertThat(t.invoiceSet(0).length).isLessThan(8 * 1000);
    }
}
