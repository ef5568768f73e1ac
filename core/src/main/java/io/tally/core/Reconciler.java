package io.tally.core;

import io.tally.core.internal.Csv;
import io.tally.core.internal.Dates;
import io.tally.core.internal.KeyTable;
import io.tally.core.internal.Numbers;
import io.tally.core.internal.ToleranceCheck;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the two trackers' totals on (date, officer), decides each key's status and writes
 * {@code discrepancies.csv}, {@code officers.csv} and {@code rejected_rows.csv} exactly as DATA.md says.
 * Keys stream out in sorted order; nothing per key is kept but the per-officer roll-up.
 */
public final class Reconciler {
    public static final String DISCREPANCIES_HEADER = "date,officer,purchase_birds,inventory_birds,bird_diff,"
            + "purchase_chicken_kg,inventory_chicken_kg,chicken_diff_kg,chicken_diff_pct,purchase_gizzard_kg,"
            + "inventory_gizzard_kg,gizzard_diff_kg,purchase_invoices,status";
    public static final String OFFICERS_HEADER = "officer,days,purchase_birds,inventory_birds,bird_diff,"
            + "purchase_chicken_kg,inventory_chicken_kg,chicken_diff_kg,chicken_diff_pct,purchase_gizzard_kg,"
            + "inventory_gizzard_kg,gizzard_diff_kg,purchase_invoices,ok,discrepancy,missing_inventory,"
            + "missing_purchase";
    public static final String REJECTED_HEADER = "tracker,source,row,reason,raw";

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final TrackerTotals purchase;
    private final TrackerTotals inventory;
    private final ToleranceCheck tolerances;
    private final boolean purchaseGizzard;
    private final boolean inventoryGizzard;
    private final boolean compareGizzard;
    private int lastDay;
    private String lastDayText;

    public Reconciler(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        if (purchase.layout().tracker() != Tracker.PURCHASE || inventory.layout().tracker() != Tracker.INVENTORY) {
            throw new IllegalArgumentException("reconcile takes the purchase tracker, then the inventory tracker");
        }
        this.purchase = purchase;
        this.inventory = inventory;
        this.tolerances = new ToleranceCheck(tolerances);
        this.purchaseGizzard = purchase.layout().has(Column.GIZZARD);
        this.inventoryGizzard = inventory.layout().has(Column.GIZZARD);
        this.compareGizzard = purchaseGizzard && inventoryGizzard;
    }

    /** Writes {@code discrepancies.csv} and {@code officers.csv} and returns the roll-up. */
    public Outcome write(Writer discrepancies, Writer officersOut) throws IOException {
        // Officer names of both sides, sorted as DATA.md orders them.
        Map<String, Integer> rankByName = new HashMap<>();
        for (TrackerTotals side : List.of(purchase, inventory)) {
            KeyTable t = side.table();
            for (int s = 0; s < t.size(); s++) {
                rankByName.putIfAbsent(side.officers().name(KeyTable.officer(t.keyAt(s))), 0);
            }
        }
        String[] names = rankByName.keySet().toArray(new String[0]);
        Arrays.sort(names);
        for (int r = 0; r < names.length; r++) {
            rankByName.put(names[r], r);
        }
        Side p = new Side(purchase, rankByName);
        Side i = new Side(inventory, rankByName);

        OfficerRollup rollup = new OfficerRollup(names.length);
        EnumMap<Status, Long> byStatus = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            byStatus.put(s, 0L);
        }
        StringBuilder line = new StringBuilder(256);
        discrepancies.write(DISCREPANCIES_HEADER);
        discrepancies.write('\n');
        int a = 0;
        int b = 0;
        while (a < p.sorted.length || b < i.sorted.length) {
            long pk = a < p.sorted.length ? p.sorted[a] : Long.MAX_VALUE;
            long ik = b < i.sorted.length ? i.sorted[b] : Long.MAX_VALUE;
            long key = Math.min(pk, ik);
            int ps = pk == key ? p.slot(a++) : -1;
            int is = ik == key ? i.slot(b++) : -1;
            Status status = row(line, key, names, p.table, ps, i.table, is, rollup);
            byStatus.merge(status, 1L, Long::sum);
            discrepancies.write(line.toString());
        }
        rollup.write(officersOut, names, this);
        return new Outcome(byStatus, rollup.totalBirdDiff(), rollup.totalChickenDiff(),
                compareGizzard ? rollup.totalGizzardDiff() : null, rollup.topLosses(names, 5));
    }

    private Status row(StringBuilder sb, long key, String[] names, KeyTable pt, int ps, KeyTable it, int is,
            OfficerRollup rollup) {
        long pBirds = ps >= 0 ? pt.birds(ps) : 0;
        long iBirds = is >= 0 ? it.birds(is) : 0;
        long pChicken = ps >= 0 ? pt.chicken(ps) : 0;
        long iChicken = is >= 0 ? it.chicken(is) : 0;
        long pGizzard = ps >= 0 ? pt.gizzard(ps) : 0;
        long iGizzard = is >= 0 ? it.gizzard(is) : 0;
        long invoices = ps >= 0 ? pt.invoiceCount(ps) : 0;
        long birdDiff = pBirds - iBirds;
        long chickenDiff = pChicken - iChicken;
        long gizzardDiff = pGizzard - iGizzard;

        Status status;
        if (is < 0) {
            status = Status.MISSING_INVENTORY;
        } else if (ps < 0) {
            status = Status.MISSING_PURCHASE;
        } else if (birdDiff != 0 || tolerances.exceeded(chickenDiff, pChicken)
                || (compareGizzard && tolerances.exceeded(gizzardDiff, pGizzard))) {
            status = Status.DISCREPANCY;
        } else {
            status = Status.OK;
        }
        int rank = (int) key;
        rollup.add(rank, pBirds, iBirds, pChicken, iChicken, pGizzard, iGizzard, invoices, status);

        sb.setLength(0);
        int day = KeyTable.epochDay(key);
        if (day != lastDay || lastDayText == null) {
            lastDay = day;
            lastDayText = Dates.format(day);
        }
        sb.append(lastDayText).append(',');
        Csv.cell(sb, names[rank]);
        sb.append(',');
        appendMeasures(sb, pBirds, iBirds, pChicken, iChicken, pGizzard, iGizzard);
        sb.append(',').append(invoices).append(',').append(status.name()).append('\n');
        return status;
    }

    /** The eleven measure cells from purchase_birds to gizzard_diff_kg, shared by both reports. */
    void appendMeasures(StringBuilder sb, long pBirds, long iBirds, long pChicken, long iChicken, long pGizzard,
            long iGizzard) {
        sb.append(pBirds).append(',').append(iBirds).append(',').append(pBirds - iBirds).append(',');
        Numbers.appendMilli(sb, pChicken);
        sb.append(',');
        Numbers.appendMilli(sb, iChicken);
        sb.append(',');
        long chickenDiff = pChicken - iChicken;
        Numbers.appendMilli(sb, chickenDiff);
        sb.append(',');
        appendPercent(sb, chickenDiff, pChicken);
        sb.append(',');
        if (purchaseGizzard) {
            Numbers.appendMilli(sb, pGizzard);
        }
        sb.append(',');
        if (inventoryGizzard) {
            Numbers.appendMilli(sb, iGizzard);
        }
        sb.append(',');
        if (compareGizzard) {
            Numbers.appendMilli(sb, pGizzard - iGizzard);
        }
    }

    /** {@code diff / purchase * 100}, half-even to 2 places, never {@code -0.00}; empty when purchase is 0. */
    static void appendPercent(StringBuilder sb, long diffMilli, long purchaseMilli) {
        if (purchaseMilli == 0) {
            return;
        }
        long hundredths;
        if (Math.abs(diffMilli) < (1L << 49)) {
            long num = diffMilli * 10_000;
            long q = num / purchaseMilli;
            long r = Math.abs(num % purchaseMilli);
            long twice = 2 * r;
            if (twice > purchaseMilli || (twice == purchaseMilli && (q & 1) != 0)) {
                q += Long.signum(num);
            }
            hundredths = q;
        } else {
            hundredths = BigDecimal.valueOf(diffMilli).multiply(HUNDRED)
                    .divide(BigDecimal.valueOf(purchaseMilli), 2, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
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

    /** Writes {@code rejected_rows.csv}: inventory rows first, then purchase, each in row order. */
    public static long writeRejected(Writer out, TrackerTotals purchase, TrackerTotals inventory) throws IOException {
        out.write(REJECTED_HEADER);
        out.write('\n');
        List<TrackerTotals> sides = new ArrayList<>(List.of(purchase, inventory));
        sides.sort(Comparator.comparing((TrackerTotals t) -> t.layout().tracker().label())
                .thenComparing(t -> t.layout().source()));
        StringBuilder sb = new StringBuilder(256);
        long n = 0;
        for (TrackerTotals side : sides) {
            for (RejectedRow r : side.rejected()) {
                sb.setLength(0);
                Csv.cell(sb, side.layout().tracker().label());
                sb.append(',');
                Csv.cell(sb, side.layout().source());
                sb.append(',').append(r.row()).append(',');
                Csv.cell(sb, r.reason());
                sb.append(',');
                Csv.cell(sb, r.raw());
                sb.append('\n');
                out.write(sb.toString());
                n++;
            }
        }
        return n;
    }

    /** What a reconciliation found, for the summary and the CLI. */
    public record Outcome(Map<Status, Long> keysByStatus, long birdDiff, long chickenDiffMilli,
            Long gizzardDiffMilli, List<OfficerLoss> topLosses) {

        public long keys() {
            return keysByStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        public boolean allOk() {
            return keys() == keysByStatus.get(Status.OK);
        }
    }

    /** An officer's total chicken loss (purchase minus inventory) over all days. */
    public record OfficerLoss(String officer, long chickenDiffMilli, long keys) {}

    /** One side's keys sorted by (date, officer rank), mapped back to their slots. */
    private static final class Side {
        final KeyTable table;
        final long[] sorted;
        final int[] localByRank;

        Side(TrackerTotals totals, Map<String, Integer> rankByName) {
            table = totals.table();
            localByRank = new int[rankByName.size()];
            for (int id = 0; id < totals.officers().size(); id++) {
                Integer rank = rankByName.get(totals.officers().name(id));
                if (rank != null) {
                    localByRank[rank] = id;
                }
            }
            sorted = new long[table.size()];
            for (int s = 0; s < table.size(); s++) {
                long key = table.keyAt(s);
                sorted[s] = KeyTable.key(KeyTable.epochDay(key),
                        rankByName.get(totals.officers().name(KeyTable.officer(key))));
            }
            Arrays.sort(sorted);
        }

        int slot(int index) {
            long k = sorted[index];
            return table.find(KeyTable.key(KeyTable.epochDay(k), localByRank[(int) k]));
        }
    }
}
