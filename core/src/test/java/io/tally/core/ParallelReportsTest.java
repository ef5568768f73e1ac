package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reports are rendered in chunks of the join on several threads: the chunks together must be exactly the
 * join, and the report exactly what one thread walking the join writes.
 */
class ParallelReportsTest {
    private static TrackerTotals purchase;
    private static TrackerTotals inventory;
    private static Map<Tracker, ByteSource> sources;

    /** About 40,000 keys a side, most on both, some on one only, over 400 days and 150 officers. */
    @BeforeAll
    static void read() {
        Random random = new Random(11);
        StringBuilder p = new StringBuilder("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
                + "PURCHASED CHICKEN WEIGHT,PURCHASED GIZZARD WEIGHT\n");
        StringBuilder i = new StringBuilder(
                "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT," + "INVENTORY GIZZARD WEIGHT\n");
        for (int day = 0; day < 400; day++) {
            String date = LocalDate.of(2023, 1, 1).plusDays(day).toString();
            for (int o = 0; o < 150; o++) {
                if (random.nextInt(10) == 0) {
                    continue;
                }
                String officer = (o % 3 == 0 ? "ADA " : "bola ") + "Officer " + o;
                int birds = 10 + random.nextInt(100);
                int kg = birds * 2;
                if (random.nextInt(20) != 0) {
                    p.append(date)
                            .append(',')
                            .append(officer)
                            .append(",INV-")
                            .append(day)
                            .append('-')
                            .append(o)
                            .append(',')
                            .append(birds)
                            .append(',')
                            .append(kg)
                            .append(".5,1.2\n");
                }
                if (random.nextInt(20) != 0) {
                    i.append(date)
                            .append(',')
                            .append(officer)
                            .append(',')
                            .append(birds)
                            .append(',')
                            .append(kg - random.nextInt(4))
                            .append(".25,1.2\n");
                }
            }
        }
        Map<Tracker, ByteSource> s = new EnumMap<>(Tracker.class);
        s.put(Tracker.PURCHASE, ByteSource.of("p.csv", p.toString().getBytes(StandardCharsets.UTF_8)));
        s.put(Tracker.INVENTORY, ByteSource.of("i.csv", i.toString().getBytes(StandardCharsets.UTF_8)));
        Map<Tracker, TrackerTotals> totals = new Engine(2, 0, DateOrder.DAY_FIRST)
                .read(s.get(Tracker.PURCHASE), s.get(Tracker.INVENTORY), Engine.Progress.NONE);
        purchase = totals.get(Tracker.PURCHASE);
        inventory = totals.get(Tracker.INVENTORY);
        sources = s;
    }

    /**
     * invoices.csv is written on a thread of its own beside the other reports: when its file fails, the whole
     * write fails with that file's error, and the thread is over by then, so nothing writes into the sink after the
     * call (a report folder or S3 upload left behind by a failed run is then never touched again).
     */
    @Test
    void aFailingInvoicesFile_failsTheWrite_andItsThreadIsOverWhenTheCallReturns() throws IOException {
        Map<Tracker, TrackerTotals> totals = new EnumMap<>(Tracker.class);
        totals.put(Tracker.PURCHASE, purchase);
        totals.put(Tracker.INVENTORY, inventory);
        RunInfo info = new RunInfo(
                "test",
                new RunInfo.InputFile("p.csv", 1, ""),
                new RunInfo.InputFile("i.csv", 1, ""),
                Tolerances.DEFAULT,
                DateOrder.DAY_FIRST,
                Instant.EPOCH,
                "test");
        List<String> opened = Collections.synchronizedList(new ArrayList<>());
        try (Invoices invoices = new Reconcile(DateOrder.DAY_FIRST).invoices(totals, sources, Tolerances.DEFAULT, 2)) {
            assertThatThrownBy(() -> ReportWriter.write(
                            name -> {
                                opened.add(name);
                                if (!name.equals(ReportWriter.INVOICES)) {
                                    return OutputStream.nullOutputStream();
                                }
                                return new OutputStream() {
                                    @Override
                                    public void write(int b) throws IOException {
                                        throw new IOException("disk full");
                                    }

                                    @Override
                                    public void write(byte[] b, int off, int len) throws IOException {
                                        throw new IOException("disk full");
                                    }
                                };
                            },
                            purchase,
                            inventory,
                            invoices,
                            info))
                    .isInstanceOf(IOException.class)
                    .hasMessage("disk full");
        }
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName))
                .doesNotContain("tally-invoices-report");
        assertThat(opened).doesNotContain(ReportWriter.SUMMARY); // the set never claims to be whole
    }

    private static List<String> walk(KeyJoin join) {
        List<String> keys = new ArrayList<>();
        while (join.hasNext()) {
            KeyResult r = join.next();
            keys.add(r.epochDay() + "|" + r.officer() + "|" + r.status());
        }
        return keys;
    }

    @Test
    void chunks_together_areTheJoin_whateverTheirSize() {
        List<String> whole = walk(new KeyJoin(purchase, inventory, Tolerances.DEFAULT));
        assertThat(whole).hasSizeGreaterThan(40_000);
        for (int keys : new int[] {1, 7, 1000, 16_384, 100_000}) {
            List<String> pieced = new ArrayList<>();
            List<KeyJoin> chunks = new KeyJoin(purchase, inventory, Tolerances.DEFAULT).chunks(keys);
            for (KeyJoin chunk : chunks) {
                pieced.addAll(walk(chunk));
            }
            assertThat(pieced).as("chunks of %d keys", keys).isEqualTo(whole);
            assertThat(chunks)
                    .hasSize(
                            keys == 1
                                    ? Math.max(purchase.keyCount(), inventory.keyCount())
                                    : Math.max(purchase.keyCount(), inventory.keyCount()) / keys + 1);
        }
    }

    @Test
    void aJoinThatLooksSlotsUp_givesTheSameReports_asOneThatCarriesThem() throws IOException {
        StringWriter carried = new StringWriter();
        StringWriter carriedOfficers = new StringWriter();
        new Reconciler(purchase, inventory, Tolerances.DEFAULT).write(carried, carriedOfficers);
        KeyJoin.carrySlots(false);
        try {
            StringWriter looked = new StringWriter();
            StringWriter lookedOfficers = new StringWriter();
            new Reconciler(purchase, inventory, Tolerances.DEFAULT).write(looked, lookedOfficers);
            assertThat(looked.toString()).isEqualTo(carried.toString());
            assertThat(lookedOfficers.toString()).isEqualTo(carriedOfficers.toString());
        } finally {
            KeyJoin.carrySlots(true);
        }
    }

    @Test
    void datesCenturiesApart_joinInOrder() throws IOException {
        String p = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                + "9999-12-31,Ada,I1,1,1\n0001-01-01,Bo,I2,1,1\n1969-12-31,Ada,I3,2,2\n1970-01-01,Ada,I4,3,3\n";
        String i = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                + "1970-01-01,Ada,3,3\n0001-01-01,Cy,1,1\n9999-12-31,Ada,1,1\n";
        Map<Tracker, TrackerTotals> t = new Engine(1, 0, DateOrder.DAY_FIRST)
                .read(
                        ByteSource.of("p.csv", p.getBytes(StandardCharsets.UTF_8)),
                        ByteSource.of("i.csv", i.getBytes(StandardCharsets.UTF_8)),
                        Engine.Progress.NONE);
        StringWriter out = new StringWriter();
        new Reconciler(t.get(Tracker.PURCHASE), t.get(Tracker.INVENTORY), Tolerances.DEFAULT)
                .write(out, new StringWriter());
        assertThat(out.toString().lines().skip(1).map(l -> l.substring(0, l.indexOf(',', 11))))
                .containsExactly(
                        "0001-01-01,Bo", "0001-01-01,Cy", "1969-12-31,Ada", "1970-01-01,Ada", "9999-12-31,Ada");
    }

    @Test
    void discrepancies_areWhatOneThreadWalkingTheJoinWrites() throws IOException {
        StringBuilder serial = new StringBuilder(CsvRenderer.DISCREPANCIES_HEADER).append('\n');
        CsvRenderer csv = CsvRenderer.of(purchase, inventory);
        KeyJoin join = new KeyJoin(purchase, inventory, Tolerances.DEFAULT);
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        while (join.hasNext()) {
            KeyResult r = join.next();
            csv.appendDiscrepancy(serial, r);
            counts.merge(r.status(), 1L, Long::sum);
        }
        StringWriter out = new StringWriter();
        Reconciler.Outcome outcome =
                new Reconciler(purchase, inventory, Tolerances.DEFAULT).write(out, new StringWriter());
        assertThat(out.toString()).isEqualTo(serial.toString());
        for (Status s : Status.values()) {
            assertThat(outcome.keysByStatus().get(s)).as("%s", s).isEqualTo(counts.getOrDefault(s, 0L));
        }
        assertThat(counts.keySet()).contains(Status.OK, Status.MISSING_INVENTORY, Status.MISSING_PURCHASE);
    }
}
