package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** summary.md and the warnings of summary.json (issue 19, items 3 and 4). */
class SummaryReportTest {
    private static final String P_HEADER = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
            + "PURCHASED CHICKEN WEIGHT,PURCHASED GIZZARD WEIGHT\n";
    private static final String I_HEADER =
            "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT,INVENTORY GIZZARD WEIGHT\n";

    /** Two losses, two gains, one officer even, two month-first dates and a bad number. */
    private static final String P = "Pullus Purchase Tracker,,,,,\n" + P_HEADER
            + "02/01/2024,Ada Obi,A1,10,220,1\n"
            + "02/01/2024,Bola Ade,A2,10,30,1\n"
            + "03/01/2024,Chi Eze,A3,10,20,1\n"
            + "03/01/2024,Dayo Belo,A4,10,20,1\n"
            + "04/01/2024,Efe Uche,A5,10,20,1\n"
            + "01/13/2024,Ada Obi,A6,10,20,1\n"
            + "01/31/2024,Ada Obi,A7,10,20,1\n"
            + "04/01/2024,Efe Uche,A8,x,20,1\n"
            + "\n";

    private static final String I = I_HEADER
            + "02/01/2024,ada obi,10,19.6,1\n"
            + "02/01/2024,Bola Ade,10,25,1\n"
            + "03/01/2024,Chi Eze,10,21,1\n"
            + "03/01/2024,Dayo Belo,10,224,1\n"
            + "04/01/2024,Efe Uche,10,20,1\n"
            + "05/01/2024,Femi,10,,1\n";

    @Test
    void summaryMd_saysDatesTolerancesKeysLossesApartFromGainsRejectionsWarningsAndReports() throws IOException {
        Map<String, String> reports = reports(P, I, DateOrder.DAY_FIRST);

        assertThat(reports.get(ReportWriter.SUMMARY_MD))
                .isEqualTo(
                        """
                        # Tally reconciliation

                        The purchase tracker p.csv against the inventory tracker i.csv.

                        - Dates: 2024-01-02 to 2024-01-04
                        - Tolerances: a weight may differ by the larger of 0.5 kg and 2.0% of its purchase weight; \
                        birds must match exactly
                        - d/M/yyyy dates read day-first; gizzard compared

                        ## Keys by status

                        - 5 key(s) (date, officer)
                        - OK: 1
                        - DISCREPANCY: 4
                        - MISSING_INVENTORY: 0
                        - MISSING_PURCHASE: 0

                        ## Rows

                        - purchase, p.csv (header on row 2): 9 read: 5 accepted, 3 rejected, 1 blank
                        - inventory, i.csv (header on row 1): 6 read: 5 accepted, 1 rejected, 0 blank

                        ## Largest chicken losses

                        Purchase minus inventory, per officer over all days, as officers.csv gives it: only \
                        officers who lost chicken.

                        1. Ada Obi: 200.400 kg over 1 day(s)
                        2. Bola Ade: 5.000 kg over 1 day(s)

                        ## Largest chicken gains

                        Officers whose inventory holds more chicken than they bought (purchase minus inventory \
                        below zero), apart from the losses.

                        1. Dayo Belo: -204.000 kg over 1 day(s)
                        2. Chi Eze: -1.000 kg over 1 day(s)

                        ## Rejected rows by reason

                        - purchase, BAD_DATE: 2
                        - inventory, MISSING: INVENTORY CHICKEN WEIGHT: 1
                        - purchase, BAD_NUMBER: NUMBER OF BIRDS: 1

                        ## Warnings

                        - p.csv: 2 row(s) were rejected for a date that is not valid day-first but reads \
                        month-first (the first: row 8, 01/13/2024), so the purchase tracker may write its dates \
                        month-first, and its other d/M/yyyy dates were read day-first: if so, run again with \
                        --date-order month-first (TALLY_DATE_ORDER=month-first on AWS)

                        ## Reports

                        In the same folder as this summary:

                        - discrepancies.csv: every (date, officer) key: both sides, the differences and the status
                        - rejected_rows.csv: every rejected row, with its sheet row and why
                        - officers.csv: per officer, over all days
                        - findings.csv: why each key that is not OK was flagged, one row per failed check
                        - invoices.csv: the invoices behind each key that is not OK, matched across the trackers
                        - summary.md: this summary
                        - summary.json: this summary, for programs
                        """);
        assertThat(reports.get(ReportWriter.SUMMARY))
                .endsWith(
                        """
                          "warnings" : [ {
                            "code" : "DATES_MONTH_FIRST",
                            "message" : "p.csv: 2 row(s) were rejected for a date that is not valid day-first but \
                        reads month-first (the first: row 8, 01/13/2024), so the purchase tracker may write its dates \
                        month-first, and its other d/M/yyyy dates were read day-first: if so, run again with \
                        --date-order month-first (TALLY_DATE_ORDER=month-first on AWS)"
                          } ]
                        }
                        """);
    }

    @Test
    void monthFirstRun_warnsOfDatesThatReadDayFirst() throws IOException {
        String p = P_HEADER + "13/01/2024,Ada Obi,A1,10,20,1\n01/02/2024,Ada Obi,A2,10,20,1\n";
        String i = I_HEADER + "01/02/2024,Ada Obi,10,20,1\n";
        assertThat(reports(p, i, DateOrder.MONTH_FIRST).get(ReportWriter.SUMMARY))
                .contains("\"code\" : \"DATES_DAY_FIRST\"")
                .contains("p.csv: 1 row(s) were rejected for a date that is not valid month-first but reads day-first"
                        + " (the first: row 2, 13/01/2024)")
                .contains("run again with --date-order day-first");
    }

    @Test
    void aTrackerWithNoDataRow_isWarnedOf_andTheRunGoesOn() throws IOException {
        String p = P_HEADER + "2024-01-01,Ada Obi,A1,10,20,1\n";
        Map<String, String> reports = reports(p, I_HEADER + ",,,,\n", DateOrder.DAY_FIRST);
        String warning = "i.csv (the inventory tracker) has its header on row 1 but no data row below it, so every key"
                + " is MISSING_INVENTORY: check that the right sheet (tab) was exported";
        assertThat(reports.get(ReportWriter.SUMMARY))
                .contains("\"code\" : \"NO_DATA_ROWS\",\n    \"message\" : \"" + warning + "\"");
        assertThat(reports.get(ReportWriter.SUMMARY_MD)).contains("## Warnings\n\n- " + warning + "\n");
        assertThat(reports.get(ReportWriter.DISCREPANCIES)).contains(",MISSING_INVENTORY");
    }

    @Test
    void aCleanRun_saysNoneWhereThereIsNothing_andHasNoWarnings() throws IOException {
        String p = P_HEADER + "2024-01-01,Ada Obi,A1,10,20,1\n";
        String i = I_HEADER + "2024-01-01,Ada Obi,10,20,1\n";
        Map<String, String> reports = reports(p, i, DateOrder.DAY_FIRST);
        assertThat(reports.get(ReportWriter.SUMMARY_MD))
                .contains("- Dates: 2024-01-01 to 2024-01-01\n")
                .contains("No officer lost chicken.")
                .contains("No officer gained chicken.")
                .contains("## Rejected rows by reason\n\nNone.\n")
                .contains("## Warnings\n\nNone.\n");
        assertThat(reports.get(ReportWriter.SUMMARY)).endsWith("\"warnings\" : [ ]\n}\n");
    }

    @Test
    void theTolerancesUsed_areTheRunsOwn() throws IOException {
        String p = P_HEADER + "2024-01-01,Ada Obi,A1,10,20,1\n";
        String i = I_HEADER + "2024-01-01,Ada Obi,10,20,1\n";
        Map<String, String> reports =
                reports(p, i, DateOrder.DAY_FIRST, new Tolerances(new BigDecimal("1.25"), new BigDecimal("3")));
        assertThat(reports.get(ReportWriter.SUMMARY_MD))
                .contains("the larger of 1.25 kg and 3% of its purchase weight");
    }

    @Test
    void reportFiles_includeSummaryMd_beforeSummaryJson() {
        assertThat(ReportWriter.FILES).endsWith(ReportWriter.SUMMARY_MD, ReportWriter.SUMMARY);
        assertThat(ReportWriter.contentType(ReportWriter.SUMMARY_MD)).isEqualTo("text/markdown; charset=utf-8");
    }

    private static Map<String, String> reports(String p, String i, DateOrder order) throws IOException {
        return reports(p, i, order, Tolerances.DEFAULT);
    }

    private static Map<String, String> reports(String p, String i, DateOrder order, Tolerances tolerances)
            throws IOException {
        ByteSource ps = ByteSource.of("p.csv", p.getBytes(StandardCharsets.UTF_8));
        ByteSource is = ByteSource.of("i.csv", i.getBytes(StandardCharsets.UTF_8));
        Map<Tracker, TrackerTotals> totals = new Engine(1, 0, order).read(ps, is, Engine.Progress.NONE);
        RunInfo info = new RunInfo(
                "test",
                new RunInfo.InputFile("p.csv", 1, ""),
                new RunInfo.InputFile("i.csv", 1, ""),
                tolerances,
                order,
                Instant.EPOCH,
                "test");
        Map<String, ByteArrayOutputStream> files = new TreeMap<>();
        Map<Tracker, ByteSource> sources = Map.of(Tracker.PURCHASE, ps, Tracker.INVENTORY, is);
        try (Invoices invoices = new Reconcile(order).invoices(totals, sources, tolerances, 1)) {
            ReportWriter.write(
                    name -> files.computeIfAbsent(name, n -> new ByteArrayOutputStream()),
                    totals.get(Tracker.PURCHASE),
                    totals.get(Tracker.INVENTORY),
                    invoices,
                    info);
        }
        Map<String, String> text = new TreeMap<>();
        files.forEach((name, bytes) -> text.put(name, bytes.toString(StandardCharsets.UTF_8)));
        return text;
    }
}
