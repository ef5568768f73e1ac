package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code invoices.csv} in bounded memory: a pair whose every key is flagged and whose every row is an invoice of its
 * own is run in a JVM with a 64 MB heap. Held in memory, its invoice lines alone would need several times that.
 */
class InvoicesMemoryTest {
    private static final int KEYS = 400;
    private static final int INVOICES_PER_KEY = 1_000;
    private static final String HEAP = "-Xmx64m";

    @TempDir
    Path tmp;

    @Test
    void aRunWithManyFlaggedKeysAndManyInvoicesEach_staysInASmallHeap_byGoingToDisk() throws Exception {
        writePair();
        Result spilled = probe("spilled", 0);
        assertThat(spilled.code()).as(spilled.output()).isZero();
        try (Stream<String> lines = Files.lines(tmp.resolve("spilled").resolve(ReportWriter.INVOICES))) {
            assertThat(lines.count()).isEqualTo(1L + KEYS * INVOICES_PER_KEY);
        }
        // The control: the same run holding every line in memory does not fit that heap.
        Result held = probe("held", Integer.MAX_VALUE);
        assertThat(held.code()).as(held.output()).isNotZero();
        assertThat(held.output()).containsIgnoringCase("memory");
    }

    @Test
    void manyRunsOnDisk_mergeInReportOrder_addingUpEqualLines() {
        Random random = new Random(7);
        List<InvoiceLine> all = new ArrayList<>();
        try (Invoices invoices = new Invoices()) {
            for (int run = 0; run < 3 * Invoices.MAX_OPEN + 5; run++) {
                List<InvoiceLine> lines = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    InvoiceLine l = new InvoiceLine(
                            random.nextInt(3), "O" + random.nextInt(3), random.nextInt(5) == 0 ? "" : "I" + i);
                    l.side(random.nextBoolean() ? Tracker.PURCHASE : Tracker.INVENTORY)
                            .add(1, 1000, 10);
                    lines.add(l);
                }
                lines.sort(InvoiceLine.ORDER);
                List<InvoiceLine> unique = new ArrayList<>();
                for (InvoiceLine l : lines) {
                    if (!unique.isEmpty() && InvoiceLine.ORDER.compare(unique.get(unique.size() - 1), l) == 0) {
                        unique.get(unique.size() - 1).absorb(l);
                    } else {
                        unique.add(l);
                    }
                }
                for (InvoiceLine l : unique) {
                    InvoiceLine copy = new InvoiceLine(l.day, l.officer, l.invoice);
                    copy.absorb(l);
                    all.add(copy);
                }
                invoices.add(unique, run % 4 != 0);
            }
            List<String> merged = new ArrayList<>();
            invoices.merged().forEachRemaining(l -> merged.add(text(l)));
            assertThat(invoices.filesOnDisk()).isLessThanOrEqualTo(Invoices.MAX_OPEN);

            all.sort(InvoiceLine.ORDER);
            List<String> expected = new ArrayList<>();
            InvoiceLine last = null;
            for (InvoiceLine l : all) {
                if (last != null && InvoiceLine.ORDER.compare(last, l) == 0) {
                    last.absorb(l);
                } else {
                    if (last != null) {
                        expected.add(text(last));
                    }
                    last = l;
                }
            }
            expected.add(text(last));
            assertThat(merged).isEqualTo(expected);
        }
    }

    private static String text(InvoiceLine l) {
        return l.day + "|" + l.officer + "|" + l.invoice + "|"
                + (l.purchase == null ? "-" : l.purchase.rows + "/" + l.purchase.birds()) + "|"
                + (l.inventory == null ? "-" : l.inventory.rows + "/" + l.inventory.birds());
    }

    private void writePair() throws IOException {
        try (BufferedWriter p = Files.newBufferedWriter(tmp.resolve("purchase.csv"), StandardCharsets.UTF_8);
                BufferedWriter i = Files.newBufferedWriter(tmp.resolve("inventory.csv"), StandardCharsets.UTF_8)) {
            p.write("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n");
            i.write("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n");
            for (int k = 0; k < KEYS; k++) {
                String key = "2024-01-" + (10 + k % 20) + ",Officer Number " + k / 20 + ",";
                for (int n = 0; n < INVOICES_PER_KEY; n++) {
                    String invoice = "INVOICE-" + k + "-" + n;
                    p.write(key + invoice + ",10,20.000\n");
                    i.write(key + invoice + ",9,15.000\n");
                }
            }
        }
    }

    private record Result(int code, String output) {}

    private Result probe(String out, int budget) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = tmp.resolve(out + ".log");
        Process p = new ProcessBuilder(
                        java,
                        HEAP,
                        "-XX:+UseSerialGC",
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        InvoicesHeapProbe.class.getName(),
                        tmp.resolve("purchase.csv").toString(),
                        tmp.resolve("inventory.csv").toString(),
                        tmp.resolve(out).toString(),
                        Integer.toString(budget))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the probe ends").isTrue();
        return new Result(p.exitValue(), Files.readString(log));
    }
}
