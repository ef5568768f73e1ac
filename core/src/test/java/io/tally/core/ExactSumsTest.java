package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sums stay exact however large they grow (DATA.md, "Numbers"): the largest cells DATA.md accepts, summed
 * per key, per officer and per run, in one range and in many ranges through the partial codec.
 */
class ExactSumsTest {
    private static final String MAX_BIRDS = "999999999999999";
    private static final String MAX_KG = "999999999999999.999";
    private static final String P_HEADER = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
            + "PURCHASED CHICKEN WEIGHT,PURCHASED GIZZARD WEIGHT\n";
    private static final String I_HEADER =
            "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT," + "INVENTORY GIZZARD WEIGHT\n";

    /** Twelve rows of the largest values for one officer, on twelve days or on one, and a small inventory. */
    private static Map<String, String> reports(boolean oneDay, long rangeBytes) throws IOException {
        return reports(oneDay, false, rangeBytes);
    }

    /** As {@link #reports(boolean, long)}; with {@code oneInvoice}, every row is invoice INV-1. */
    private static Map<String, String> reports(boolean oneDay, boolean oneInvoice, long rangeBytes) throws IOException {
        StringBuilder p = new StringBuilder(P_HEADER);
        for (int d = 1; d <= 12; d++) {
            p.append(oneDay ? "2024-01-01" : String.format("2024-01-%02d", d))
                    .append(",Ada Obi,INV-")
                    .append(oneInvoice ? 1 : d)
                    .append(",\"")
                    .append(MAX_BIRDS)
                    .append("\",\"")
                    .append(MAX_KG)
                    .append("\",\"")
                    .append(MAX_KG)
                    .append("\"\n");
        }
        String i = I_HEADER + "2024-01-01,Ada Obi,1,1.5,0.5\n";
        ByteSource ps = ByteSource.of("p.csv", p.toString().getBytes(StandardCharsets.UTF_8));
        ByteSource is = ByteSource.of("i.csv", i.getBytes(StandardCharsets.UTF_8));
        RangePlan plan =
                RangePlan.cut(Layout.detect(ps, Tracker.PURCHASE), Layout.detect(is, Tracker.INVENTORY), rangeBytes);
        Map<Tracker, ByteSource> sources = new EnumMap<>(Tracker.class);
        sources.put(Tracker.PURCHASE, ps);
        sources.put(Tracker.INVENTORY, is);
        OrderedMerge.Merged merged = new Reconcile(DateOrder.DAY_FIRST)
                .merge(
                        plan,
                        sources,
                        (r, reader) -> roundTrip(reader.read(r.start(), r.end(), plan.startsAtData(r))),
                        2);
        RunInfo info = new RunInfo(
                "test",
                new RunInfo.InputFile("p.csv", 1, ""),
                new RunInfo.InputFile("i.csv", 1, ""),
                Tolerances.DEFAULT,
                DateOrder.DAY_FIRST,
                Instant.EPOCH,
                "test");
        Map<String, ByteArrayOutputStream> files = new TreeMap<>();
        Reconciler.Outcome outcome;
        try (Invoices invoices =
                new Reconcile(DateOrder.DAY_FIRST).invoices(merged.totals(), sources, Tolerances.DEFAULT, 2)) {
            outcome = ReportWriter.write(
                    name -> files.computeIfAbsent(name, n -> new ByteArrayOutputStream()),
                    merged.totals(Tracker.PURCHASE),
                    merged.totals(Tracker.INVENTORY),
                    invoices,
                    info);
        }
        Map<String, String> out = new TreeMap<>();
        files.forEach((k, v) -> out.put(k, v.toString(StandardCharsets.UTF_8)));
        out.put("topLoss", outcome.topLosses().get(0).chickenDiffKg());
        return out;
    }

    private static Partial roundTrip(Partial p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PartialCodec.write(p, bytes);
            return PartialCodec.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String times(String value, int n) {
        return new BigDecimal(value).multiply(BigDecimal.valueOf(n)).toPlainString();
    }

    @ParameterizedTest
    @ValueSource(longs = {1 << 20, 97})
    void twelveDays_officerRollupAndTotals_areExact(long rangeBytes) throws IOException {
        Map<String, String> r = reports(false, rangeBytes);
        String birds12 = times(MAX_BIRDS, 12);
        String kg12 = times(MAX_KG, 12);
        String officer =
                r.get(ReportWriter.OFFICERS).lines().skip(1).findFirst().orElseThrow();
        assertThat(officer)
                .startsWith("Ada Obi,12," + birds12 + ",1," + new BigInteger(birds12).subtract(BigInteger.ONE) + ","
                        + kg12 + ",1.500,"
                        + new BigDecimal(kg12).subtract(new BigDecimal("1.5")).toPlainString() + ",");
        assertThat(r.get(ReportWriter.SUMMARY))
                .contains("\"birds\" : " + new BigInteger(birds12).subtract(BigInteger.ONE))
                .contains("\"chicken_kg\" : \""
                        + new BigDecimal(kg12).subtract(new BigDecimal("1.5")).toPlainString() + "\"");
        assertThat(r.get("topLoss"))
                .isEqualTo(new BigDecimal(kg12).subtract(new BigDecimal("1.5")).toPlainString());
        assertThat(r.get(ReportWriter.DISCREPANCIES)).doesNotContain("-644");
    }

    @ParameterizedTest
    @ValueSource(longs = {1 << 20, 97})
    void oneDay_keySumBeyondALong_isExact_andTheRunSucceeds(long rangeBytes) throws IOException {
        Map<String, String> r = reports(true, rangeBytes);
        String birds12 = times(MAX_BIRDS, 12);
        String kg12 = times(MAX_KG, 12);
        String chickenDiff =
                new BigDecimal(kg12).subtract(new BigDecimal("1.5")).toPlainString();
        String gizzardDiff =
                new BigDecimal(kg12).subtract(new BigDecimal("0.5")).toPlainString();
        String pct = new BigDecimal(chickenDiff)
                .multiply(BigDecimal.valueOf(100))
                .divide(new BigDecimal(kg12), 2, RoundingMode.HALF_EVEN)
                .toPlainString();
        assertThat(r.get(ReportWriter.DISCREPANCIES).lines().skip(1).findFirst().orElseThrow())
                .isEqualTo(
                        "2024-01-01,Ada Obi," + birds12 + ",1," + new BigInteger(birds12).subtract(BigInteger.ONE) + ","
                                + kg12 + ",1.500," + chickenDiff + "," + pct + "," + kg12 + ",0.500," + gizzardDiff
                                + ",12,DISCREPANCY");
    }

    @ParameterizedTest
    @ValueSource(longs = {1 << 20, 97})
    void oneInvoice_sumBeyondALong_isExactInInvoicesCsv(long rangeBytes) throws IOException {
        Map<String, String> r = reports(true, true, rangeBytes);
        String birds12 = times(MAX_BIRDS, 12);
        String kg12 = times(MAX_KG, 12);
        assertThat(r.get(ReportWriter.INVOICES).lines().skip(1).toList())
                .containsExactly(
                        "2024-01-01,Ada Obi,INV-1,12," + birds12 + "," + kg12 + "," + kg12 + ",0,0,0.000,0.000,"
                                + birds12 + "," + kg12 + ",NOT_RECEIVED",
                        "2024-01-01,Ada Obi,,0,0,0.000,0.000,1,1,1.500,0.500,-1,-1.500,UNMATCHED");
    }

    @ParameterizedTest
    @ValueSource(longs = {1 << 20, 97})
    void wideAndNarrowRanges_giveTheSameReports(long rangeBytes) throws IOException {
        Map<String, String> split = reports(true, rangeBytes);
        Map<String, String> whole = reports(true, 1 << 20);
        split.remove(ReportWriter.SUMMARY); // holds the duration
        whole.remove(ReportWriter.SUMMARY);
        assertThat(split).isEqualTo(whole);
    }
}
