package io.tally.core;

import io.tally.core.internal.Dates;
import io.tally.core.internal.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run found, in a few lines a person reads: {@code summary.md}, which the CLI also prints, and the warnings
 * that {@code summary.json} lists. Computed from what every path has (both trackers' totals, the run's options and
 * the reconciliation's outcome), and naming no run id, timing or path, so every path writes the same bytes.
 */
public final class SummaryReport {
    /** A finding that does not stop the run but that the user should know about. */
    public record Warning(String code, String message) {}

    /** What each report holds, for the summary's last section. */
    private static final Map<String, String> HOLDS = Map.of(
            ReportWriter.DISCREPANCIES,
            "every (date, officer) key: both sides, the differences and the status",
            ReportWriter.REJECTED,
            "every rejected row, with its sheet row and why",
            ReportWriter.OFFICERS,
            "per officer, over all days",
            ReportWriter.FINDINGS,
            "why each key that is not OK was flagged, one row per failed check",
            ReportWriter.INVOICES,
            "the invoices behind each key that is not OK, matched across the trackers",
            ReportWriter.SUMMARY_MD,
            "this summary",
            ReportWriter.SUMMARY,
            "this summary, for programs");

    private final TrackerTotals purchase;
    private final TrackerTotals inventory;
    private final RunInfo info;
    private final Reconciler.Outcome outcome;
    private final Map<String, Long> rejectedByReason = new LinkedHashMap<>();
    private final List<Warning> warnings = new ArrayList<>();

    private SummaryReport(TrackerTotals purchase, TrackerTotals inventory, RunInfo info, Reconciler.Outcome outcome) {
        this.purchase = purchase;
        this.inventory = inventory;
        this.info = info;
        this.outcome = outcome;
    }

    /** Reads the rejected rows once (counting them by reason, re-reading bad dates in the other order). */
    public static SummaryReport of(
            TrackerTotals purchase, TrackerTotals inventory, RunInfo info, Reconciler.Outcome outcome) {
        return of(purchase, inventory, info, outcome, List.of());
    }

    /**
     * As above, with the dates (days since 1970-01-01) whose possible matches {@code findings.csv} did not search,
     * having too many names missing on both sides to compare.
     */
    static SummaryReport of(
            TrackerTotals purchase,
            TrackerTotals inventory,
            RunInfo info,
            Reconciler.Outcome outcome,
            List<Integer> unsearchedDates) {
        SummaryReport s = new SummaryReport(purchase, inventory, info, outcome);
        if (!unsearchedDates.isEmpty()) {
            s.warnings.add(new Warning(
                    "POSSIBLE_MATCHES_NOT_SEARCHED",
                    String.format(
                            Locale.ROOT,
                            "findings.csv gives no possible_match on %,d date(s) (the first: %s): so many officers"
                                    + " were missing on each side of one day that comparing every pair of names"
                                    + " would take hours",
                            unsearchedDates.size(),
                            Dates.format(unsearchedDates.get(0)))));
        }
        s.noDataRow(purchase, inventory, Status.MISSING_PURCHASE);
        s.noDataRow(inventory, purchase, Status.MISSING_INVENTORY);
        s.readRejected(purchase);
        s.readRejected(inventory);
        return s;
    }

    public List<Warning> warnings() {
        return List.copyOf(warnings);
    }

    /** A tracker with a header and no data row: the wrong sheet exported, most likely. */
    private void noDataRow(TrackerTotals t, TrackerTotals other, Status everyOtherKey) {
        if (t.rowsRead() != t.blank()) {
            return;
        }
        boolean otherHasRows = other.accepted() > 0;
        warnings.add(new Warning(
                "NO_DATA_ROWS",
                String.format(
                        Locale.ROOT,
                        "%s (the %s tracker) has its header on row %d but no data row below it%s: check that the"
                                + " right sheet (tab) was exported",
                        t.layout().source(),
                        t.layout().tracker().label(),
                        t.layout().headerRow(),
                        otherHasRows ? ", so every key is " + everyOtherKey.name() : "")));
    }

    /** Counts the tracker's rejected rows by reason, and warns when its bad dates read in the other date order. */
    private void readRejected(TrackerTotals t) {
        DateOrder other = info.dateOrder() == DateOrder.DAY_FIRST ? DateOrder.MONTH_FIRST : DateOrder.DAY_FIRST;
        Dates otherDates = new Dates(other);
        String label = t.layout().tracker().label();
        long otherOrder = 0;
        RejectedRow first = null;
        for (RejectedRow r : t.rejected()) {
            rejectedByReason.merge(label + ", " + group(r), 1L, Long::sum);
            if (r.code() == RejectedRow.Code.BAD_DATE) {
                byte[] text = r.detail().getBytes(StandardCharsets.UTF_8);
                if (otherDates.parse(text, 0, text.length) != Dates.BAD) {
                    otherOrder++;
                    if (first == null) {
                        first = r;
                    }
                }
            }
        }
        if (otherOrder > 0) {
            String wanted = other.cliName();
            String given = info.dateOrder().cliName();
            warnings.add(new Warning(
                    other == DateOrder.MONTH_FIRST ? "DATES_MONTH_FIRST" : "DATES_DAY_FIRST",
                    String.format(
                            Locale.ROOT,
                            "%s: %,d row(s) were rejected for a date that is not valid %s but reads %s (the first:"
                                    + " row %d, %s), so the %s tracker may write its dates %s, and its other d/M/yyyy"
                                    + " dates were read %s: if so, run again with --date-order %s (TALLY_DATE_ORDER=%s"
                                    + " on AWS)",
                            t.layout().source(),
                            otherOrder,
                            given,
                            wanted,
                            first.row(),
                            first.detail(),
                            label,
                            wanted,
                            given,
                            wanted,
                            wanted)));
        }
    }

    /** The reason without the cell text: {@code BAD_DATE}, {@code BAD_NUMBER: NUMBER OF BIRDS}, {@code MISSING: DATE}. */
    private static String group(RejectedRow r) {
        return switch (r.code()) {
            case BAD_DATE -> r.code().name();
            case BAD_NUMBER ->
                r.code().name() + ": "
                        + r.detail().substring(0, Math.max(0, r.detail().indexOf('=')));
            default -> r.reason();
        };
    }

    /** The {@code summary.md} text. */
    public String markdown() {
        StringBuilder md = new StringBuilder(2048);
        md.append("# Tally reconciliation\n\n");
        md.append("The purchase tracker ")
                .append(purchase.layout().source())
                .append(" against the inventory tracker ")
                .append(inventory.layout().source())
                .append(".\n\n");
        md.append("- Dates: ")
                .append(outcome.dates().map(d -> d.first() + " to " + d.last()).orElse("none (no key)"))
                .append('\n');
        md.append(String.format(
                Locale.ROOT,
                "- Tolerances: a weight may differ by the larger of %s kg and %s%% of its purchase weight; birds must"
                        + " match exactly\n",
                info.tolerances().kg().toPlainString(),
                info.tolerances().pct().toPlainString()));
        md.append("- d/M/yyyy dates read ")
                .append(info.dateOrder().cliName())
                .append("; gizzard ")
                .append(
                        KeyJoin.gizzardCompared(purchase, inventory)
                                ? "compared"
                                : "not compared (a tracker has no gizzard column)")
                .append("\n\n");

        md.append("## Keys by status\n\n");
        md.append(String.format(Locale.ROOT, "- %,d key(s) (date, officer)%n", outcome.keys()));
        for (Status s : List.of(Status.OK, Status.DISCREPANCY, Status.MISSING_INVENTORY, Status.MISSING_PURCHASE)) {
            md.append(String.format(
                    Locale.ROOT, "- %s: %,d%n", s.name(), outcome.keysByStatus().get(s)));
        }
        md.append('\n');

        md.append("## Rows\n\n");
        for (TrackerTotals t : List.of(purchase, inventory)) {
            md.append(String.format(
                    Locale.ROOT,
                    "- %s, %s (header on row %d): %,d read: %,d accepted, %,d rejected, %,d blank%n",
                    t.layout().tracker().label(),
                    t.layout().source(),
                    t.layout().headerRow(),
                    t.rowsRead(),
                    t.accepted(),
                    t.rejected().size(),
                    t.blank()));
        }
        md.append('\n');

        md.append("## Largest chicken losses\n\n");
        md.append("Purchase minus inventory, per officer over all days, as officers.csv gives it: only officers who "
                + "lost chicken.\n\n");
        officers(md, outcome.topLosses(), "No officer lost chicken.");
        md.append("## Largest chicken gains\n\n");
        md.append("Officers whose inventory holds more chicken than they bought (purchase minus inventory below "
                + "zero), apart from the losses.\n\n");
        officers(md, outcome.topGains(), "No officer gained chicken.");

        md.append("## Rejected rows by reason\n\n");
        if (rejectedByReason.isEmpty()) {
            md.append("None.\n");
        } else {
            rejectedByReason.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> md.append(String.format(Locale.ROOT, "- %s: %,d%n", e.getKey(), e.getValue())));
        }
        md.append('\n');

        md.append("## Warnings\n\n");
        if (warnings.isEmpty()) {
            md.append("None.\n");
        }
        for (Warning w : warnings) {
            md.append("- ").append(w.message()).append('\n');
        }
        md.append('\n');

        md.append("## Reports\n\n");
        md.append("In the same folder as this summary:\n\n");
        for (String name : ReportWriter.FILES) {
            String holds = HOLDS.get(name);
            md.append("- ")
                    .append(name)
                    .append(holds == null ? "" : ": " + holds)
                    .append('\n');
        }
        return md.toString();
    }

    private static void officers(StringBuilder md, List<Reconciler.OfficerLoss> officers, String none) {
        if (officers.isEmpty()) {
            md.append(none).append('\n');
        }
        int rank = 1;
        for (Reconciler.OfficerLoss o : officers) {
            md.append(String.format(
                    Locale.ROOT,
                    "%d. %s: %s kg over %,d day(s)%n",
                    rank++,
                    o.officer(),
                    Numbers.milli(o.chickenDiffMilli()),
                    o.keys()));
        }
        md.append('\n');
    }
}
