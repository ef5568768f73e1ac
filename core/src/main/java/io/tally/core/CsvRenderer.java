package io.tally.core;

import io.tally.core.internal.Dates;
import io.tally.core.internal.Numbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Renders per-key, per-officer and rejected-row values as the lines of DATA.md's CSV reports: exact
 * decimals, the formula escape, RFC 4180 quoting only where needed, {@code \n} line ends.
 */
final class CsvRenderer {
    public static final String DISCREPANCIES_HEADER = Report.DISCREPANCIES.header();
    public static final String OFFICERS_HEADER = Report.OFFICERS.header();
    public static final String REJECTED_HEADER = Report.REJECTED.header();

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final boolean purchaseGizzard;
    private final boolean inventoryGizzard;
    private int lastDay;
    private String lastDayText;

    /**
     * @param purchaseGizzard  whether the purchase tracker has a gizzard column
     * @param inventoryGizzard whether the inventory tracker has one; gizzard is compared only when both do
     */
    public CsvRenderer(boolean purchaseGizzard, boolean inventoryGizzard) {
        this.purchaseGizzard = purchaseGizzard;
        this.inventoryGizzard = inventoryGizzard;
    }

    /** A renderer for these two trackers. */
    public static CsvRenderer of(TrackerTotals purchase, TrackerTotals inventory) {
        return new CsvRenderer(
                purchase.layout().has(Column.GIZZARD), inventory.layout().has(Column.GIZZARD));
    }

    /** Appends one {@code discrepancies.csv} line, its {@code \n} included. */
    public void appendDiscrepancy(StringBuilder sb, KeyResult r) {
        if (r.epochDay() != lastDay || lastDayText == null) {
            lastDay = r.epochDay();
            lastDayText = Dates.format(lastDay);
        }
        sb.append(lastDayText).append(',');
        CsvText.cell(sb, r.officer());
        sb.append(',');
        appendMeasures(sb, r.purchase(), r.inventory());
        sb.append(',')
                .append(r.purchase().invoices())
                .append(',')
                .append(r.status().name())
                .append('\n');
    }

    /** Appends one {@code officers.csv} line, its {@code \n} included. */
    public void appendOfficer(StringBuilder sb, OfficerRollup.Officer o) {
        CsvText.cell(sb, o.officer());
        sb.append(',').append(o.days()).append(',');
        appendMeasures(sb, o.purchase(), o.inventory());
        sb.append(',').append(o.purchase().invoices());
        for (Status s :
                new Status[] {Status.OK, Status.DISCREPANCY, Status.MISSING_INVENTORY, Status.MISSING_PURCHASE}) {
            sb.append(',').append(o.keys(s));
        }
        sb.append('\n');
    }

    /** Appends one {@code rejected_rows.csv} line, its {@code \n} included. */
    public static void appendRejected(StringBuilder sb, Tracker tracker, String source, RejectedRow r) {
        CsvText.cell(sb, tracker.label());
        sb.append(',');
        CsvText.cell(sb, source);
        sb.append(',').append(r.row()).append(',');
        CsvText.cell(sb, r.reason());
        sb.append(',');
        CsvText.cell(sb, r.raw());
        sb.append('\n');
    }

    /** The eleven measure cells from purchase_birds to gizzard_diff_kg, shared by both reports. */
    private void appendMeasures(StringBuilder sb, KeyResult.Side p, KeyResult.Side i) {
        if (p.isWide() || i.isWide()) {
            appendExactMeasures(sb, p, i);
            return;
        }
        sb.append(p.birds())
                .append(',')
                .append(i.birds())
                .append(',')
                .append(p.birds() - i.birds())
                .append(',');
        Numbers.appendMilli(sb, p.chickenMilli());
        sb.append(',');
        Numbers.appendMilli(sb, i.chickenMilli());
        sb.append(',');
        long chickenDiff = p.chickenMilli() - i.chickenMilli();
        Numbers.appendMilli(sb, chickenDiff);
        sb.append(',');
        appendPercent(sb, chickenDiff, p.chickenMilli());
        sb.append(',');
        if (purchaseGizzard) {
            Numbers.appendMilli(sb, p.gizzardMilli());
        }
        sb.append(',');
        if (inventoryGizzard) {
            Numbers.appendMilli(sb, i.gizzardMilli());
        }
        sb.append(',');
        if (purchaseGizzard && inventoryGizzard) {
            Numbers.appendMilli(sb, p.gizzardMilli() - i.gizzardMilli());
        }
    }

    /** The same cells for sums too large for a {@code long}. */
    private void appendExactMeasures(StringBuilder sb, KeyResult.Side p, KeyResult.Side i) {
        BigInteger pBirds = p.exactBirds();
        BigInteger iBirds = i.exactBirds();
        sb.append(pBirds)
                .append(',')
                .append(iBirds)
                .append(',')
                .append(pBirds.subtract(iBirds))
                .append(',');
        BigInteger pChicken = p.exactChickenMilli();
        BigInteger chickenDiff = pChicken.subtract(i.exactChickenMilli());
        Numbers.appendMilli(sb, pChicken);
        sb.append(',');
        Numbers.appendMilli(sb, i.exactChickenMilli());
        sb.append(',');
        Numbers.appendMilli(sb, chickenDiff);
        sb.append(',');
        appendPercent(sb, chickenDiff, pChicken);
        sb.append(',');
        if (purchaseGizzard) {
            Numbers.appendMilli(sb, p.exactGizzardMilli());
        }
        sb.append(',');
        if (inventoryGizzard) {
            Numbers.appendMilli(sb, i.exactGizzardMilli());
        }
        sb.append(',');
        if (purchaseGizzard && inventoryGizzard) {
            Numbers.appendMilli(sb, p.exactGizzardMilli().subtract(i.exactGizzardMilli()));
        }
    }

    /** {@code diff / purchase * 100}, half-even to 2 places, never {@code -0.00}; empty when purchase is 0. */
    static void appendPercent(StringBuilder sb, long diffMilli, long purchaseMilli) {
        if (purchaseMilli == 0) {
            return;
        }
        if (Math.abs(diffMilli) >= (1L << 49) || purchaseMilli >= (1L << 62)) {
            appendPercent(sb, BigInteger.valueOf(diffMilli), BigInteger.valueOf(purchaseMilli));
            return;
        }
        long num = diffMilli * 10_000;
        long hundredths = num / purchaseMilli;
        long r = Math.abs(num % purchaseMilli);
        long twice = 2 * r;
        if (twice > purchaseMilli || (twice == purchaseMilli && (hundredths & 1) != 0)) {
            hundredths += Long.signum(num);
        }
        if (hundredths < 0) {
            sb.append('-');
            hundredths = -hundredths;
        }
        sb.append(hundredths / 100).append('.');
        long f = hundredths % 100;
        if (f < 10) {
            sb.append('0');
        }
        sb.append(f);
    }

    /** As {@link #appendPercent(StringBuilder, long, long)}, for any size. */
    static void appendPercent(StringBuilder sb, BigInteger diffMilli, BigInteger purchaseMilli) {
        if (purchaseMilli.signum() == 0) {
            return;
        }
        BigDecimal pct = new BigDecimal(diffMilli)
                .multiply(HUNDRED)
                .divide(new BigDecimal(purchaseMilli), 2, RoundingMode.HALF_EVEN);
        sb.append(pct.toPlainString()); // a BigDecimal zero has no sign: never -0.00
    }
}
