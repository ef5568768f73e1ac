package io.tally.core;

import io.tally.core.internal.Dates;
import io.tally.core.internal.Numbers;
import io.tally.core.internal.ToleranceCheck;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.function.BooleanSupplier;

/**
 * Writes {@code invoices.csv} (DATA.md, "Output: invoices.csv"): the invoices behind each key that is not
 * {@code OK}, one line per distinct invoice text seen on either side of the key, from the merged lines of
 * {@link Invoices}, which come in the report's order. Nothing is held but the line being written.
 */
final class InvoiceReport {
    static final String HEADER = Report.INVOICES.header();

    /** An invoice's verdict. */
    enum InvoiceStatus {
        NOT_RECEIVED,
        NOT_PURCHASED,
        DIFFERENT,
        MATCHED,
        UNMATCHED
    }

    private static final InvoiceLine.Sums NONE = new InvoiceLine.Sums();
    private static final int BATCH = 1 << 16;

    private final boolean purchaseGizzard;
    private final boolean inventoryGizzard;
    private final ToleranceCheck tolerances;

    InvoiceReport(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        this.purchaseGizzard = purchase.layout().has(Column.GIZZARD);
        this.inventoryGizzard = inventory.layout().has(Column.GIZZARD);
        this.tolerances = new ToleranceCheck(tolerances);
    }

    /** Writes the header and every line; returns the number of lines. */
    long write(Writer out, Iterator<InvoiceLine> lines) throws IOException {
        out.write(HEADER);
        out.write('\n');
        // Lines are rendered into one buffer and written some 64 KB at a time, not a string a line.
        StringBuilder sb = new StringBuilder(BATCH + 1024);
        long n = 0;
        int lastDay = Integer.MIN_VALUE;
        String dayText = "";
        while (lines.hasNext()) {
            InvoiceLine line = lines.next();
            if (line.day != lastDay) {
                lastDay = line.day;
                dayText = Dates.format(lastDay);
            }
            sb.append(dayText).append(',');
            CsvText.cell(sb, line.officer);
            sb.append(',');
            CsvText.cell(sb, line.invoice);
            append(sb, line);
            n++;
            if (sb.length() >= BATCH) {
                out.write(sb.toString());
                sb.setLength(0);
            }
        }
        out.write(sb.toString());
        return n;
    }

    private void append(StringBuilder sb, InvoiceLine line) {
        InvoiceLine.Sums p = line.purchase != null ? line.purchase : NONE;
        InvoiceLine.Sums i = line.inventory != null ? line.inventory : NONE;
        sb.append(',').append(p.rows).append(',');
        side(sb, p, purchaseGizzard);
        sb.append(',').append(i.rows).append(',');
        side(sb, i, inventoryGizzard);
        sb.append(',');
        InvoiceStatus status;
        if (p.isWide() || i.isWide()) {
            BigInteger birdDiff = p.exact(0).subtract(i.exact(0));
            BigInteger chickenDiff = p.exact(1).subtract(i.exact(1));
            sb.append(birdDiff).append(',');
            Numbers.appendMilli(sb, chickenDiff);
            status = status(
                    line,
                    () -> birdDiff.signum() != 0
                            || tolerances.exceeded(chickenDiff, p.exact(1))
                            || (purchaseGizzard
                                    && inventoryGizzard
                                    && tolerances.exceeded(p.exact(2).subtract(i.exact(2)), p.exact(2))));
        } else {
            long birdDiff = p.birds() - i.birds();
            long chickenDiff = p.chickenMilli() - i.chickenMilli();
            sb.append(birdDiff).append(',');
            Numbers.appendMilli(sb, chickenDiff);
            status = status(
                    line,
                    () -> birdDiff != 0
                            || tolerances.exceeded(chickenDiff, p.chickenMilli())
                            || (purchaseGizzard
                                    && inventoryGizzard
                                    && tolerances.exceeded(p.gizzardMilli() - i.gizzardMilli(), p.gizzardMilli())));
        }
        sb.append(',').append(status.name()).append('\n');
    }

    private static InvoiceStatus status(InvoiceLine line, BooleanSupplier different) {
        if (line.invoice.isEmpty()) {
            return InvoiceStatus.UNMATCHED;
        }
        if (line.inventory == null) {
            return InvoiceStatus.NOT_RECEIVED;
        }
        if (line.purchase == null) {
            return InvoiceStatus.NOT_PURCHASED;
        }
        return different.getAsBoolean() ? InvoiceStatus.DIFFERENT : InvoiceStatus.MATCHED;
    }

    /** Birds, chicken and gizzard of one side; gizzard empty when the side's tracker has no gizzard column. */
    private static void side(StringBuilder sb, InvoiceLine.Sums s, boolean gizzard) {
        if (s.isWide()) {
            sb.append(s.exact(0)).append(',');
            Numbers.appendMilli(sb, s.exact(1));
            sb.append(',');
            if (gizzard) {
                Numbers.appendMilli(sb, s.exact(2));
            }
            return;
        }
        sb.append(s.birds()).append(',');
        Numbers.appendMilli(sb, s.chickenMilli());
        sb.append(',');
        if (gizzard) {
            Numbers.appendMilli(sb, s.gizzardMilli());
        }
    }
}
