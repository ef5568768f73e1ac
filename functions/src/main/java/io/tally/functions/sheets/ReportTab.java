package io.tally.functions.sheets;

import io.tally.core.Report;
import java.util.List;
import java.util.Locale;

/**
 * Tally's tabs in the report spreadsheet: which report fills each, which columns identify a row (so the
 * analysts' notes follow their row across reruns, wherever they sorted it), which note columns the analysts own,
 * and where a row kept only for its note is marked.
 */
enum ReportTab {
    DISCREPANCY(
            "Discrepancy Report",
            Report.DISCREPANCIES,
            2,
            List.of("date", "officer"),
            List.of(ReportTab.COMMENTS, ReportTab.RESOLUTION),
            "status",
            List.of(ReportTab.REASON, ReportTab.FINDINGS_LINK)),
    FINDINGS(
            "Findings",
            Report.FINDINGS,
            1,
            List.of("date", "officer", "check"),
            List.of(ReportTab.COMMENTS),
            "check",
            List.of(ReportTab.SOURCE_ROW)),
    INVOICES(
            "Invoices",
            Report.INVOICES,
            1,
            List.of("date", "officer", "invoice"),
            List.of(ReportTab.COMMENTS),
            "status",
            List.of()),
    OFFICERS("Officer Summary", Report.OFFICERS, 1, List.of("officer"), List.of(ReportTab.COMMENTS), "days", List.of()),
    REJECTED(
            "Rejected Rows",
            Report.REJECTED,
            1,
            List.of("tracker", "raw"),
            List.of(ReportTab.COMMENTS),
            "reason",
            List.of("link"));

    static final String COMMENTS = "COMMENTS";
    /** On the Discrepancy Report: why a key that is not OK was flagged, in a few words. */
    static final String REASON = "reason";
    /** On the Discrepancy Report: a link to the key's first row on the Findings tab. */
    static final String FINDINGS_LINK = "findings";
    /** On the Findings tab: a link to the first rejected row of the key in its source sheet. */
    static final String SOURCE_ROW = "first_rejected_row";

    static final String RESOLUTION = "RESOLUTION STATUS";
    /** A fresh tab while it is written: hidden, renamed in by the swap. */
    static final String UPDATING = " (updating)";
    /** An old tab after the swap, hidden, until the notes typed on it in the last moments are copied over. */
    static final String PREVIOUS = " (previous)";

    final String title;
    /** The report that fills it: its file and its typed columns. */
    final Report report;
    /** Rows above the data: the header, and on the Discrepancy Report the "Last refreshed" line above it. */
    final int headerRows;

    final List<String> keyColumns;
    final List<String> noteColumns;
    final String markerColumn;
    /** Columns Tally adds after the report's own, before the notes. */
    final List<String> extraColumns;

    ReportTab(
            String title,
            Report report,
            int headerRows,
            List<String> keyColumns,
            List<String> noteColumns,
            String markerColumn,
            List<String> extraColumns) {
        this.title = title;
        this.report = report;
        this.headerRows = headerRows;
        this.keyColumns = keyColumns;
        this.noteColumns = noteColumns;
        this.markerColumn = markerColumn;
        this.extraColumns = extraColumns;
    }

    /** Whether the tab has a column of links, written as cells with a link format rather than as plain values. */
    boolean hasLinks() {
        return !extraColumns.isEmpty();
    }

    /** Whether {@code title} is one of Tally's tabs in any of its states. */
    static boolean isOurs(String title) {
        for (ReportTab t : values()) {
            if (title.equals(t.title) || title.equals(t.title + UPDATING) || title.equals(t.title + PREVIOUS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A header cell as analysts may have retyped it: case, spaces and underscores do not count, so
     * {@code Comments}, {@code resolution status} and {@code RESOLUTION_STATUS} all match.
     */
    static String normal(String header) {
        return header.replaceAll("[\\s_]+", "").toUpperCase(Locale.ROOT);
    }
}
