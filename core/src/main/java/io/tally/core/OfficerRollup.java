package io.tally.core;

import io.tally.core.internal.Csv;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Per-officer totals over all of an officer's days, indexed by the officer's rank in name order. */
final class OfficerRollup {
    private final long[] days;
    private final long[] pBirds;
    private final long[] iBirds;
    private final long[] pChicken;
    private final long[] iChicken;
    private final long[] pGizzard;
    private final long[] iGizzard;
    private final long[] invoices;
    private final long[][] statusCounts;

    OfficerRollup(int officers) {
        days = new long[officers];
        pBirds = new long[officers];
        iBirds = new long[officers];
        pChicken = new long[officers];
        iChicken = new long[officers];
        pGizzard = new long[officers];
        iGizzard = new long[officers];
        invoices = new long[officers];
        statusCounts = new long[officers][Status.values().length];
    }

    void add(int rank, long pb, long ib, long pc, long ic, long pg, long ig, long inv, Status status) {
        days[rank]++;
        pBirds[rank] += pb;
        iBirds[rank] += ib;
        pChicken[rank] += pc;
        iChicken[rank] += ic;
        pGizzard[rank] += pg;
        iGizzard[rank] += ig;
        invoices[rank] += inv;
        statusCounts[rank][status.ordinal()]++;
    }

    void write(Writer out, String[] names, Reconciler measures) throws IOException {
        out.write(Reconciler.OFFICERS_HEADER);
        out.write('\n');
        StringBuilder sb = new StringBuilder(256);
        for (int r = 0; r < names.length; r++) {
            sb.setLength(0);
            Csv.cell(sb, names[r]);
            sb.append(',').append(days[r]).append(',');
            measures.appendMeasures(sb, pBirds[r], iBirds[r], pChicken[r], iChicken[r], pGizzard[r], iGizzard[r]);
            sb.append(',').append(invoices[r]);
            long[] c = statusCounts[r];
            sb.append(',').append(c[Status.OK.ordinal()])
                    .append(',').append(c[Status.DISCREPANCY.ordinal()])
                    .append(',').append(c[Status.MISSING_INVENTORY.ordinal()])
                    .append(',').append(c[Status.MISSING_PURCHASE.ordinal()])
                    .append('\n');
            out.write(sb.toString());
        }
    }

    long totalBirdDiff() {
        return sum(pBirds) - sum(iBirds);
    }

    long totalChickenDiff() {
        return sum(pChicken) - sum(iChicken);
    }

    long totalGizzardDiff() {
        return sum(pGizzard) - sum(iGizzard);
    }

    /** The officers who lost the most chicken, largest loss first, ties by name. */
    List<Reconciler.OfficerLoss> topLosses(String[] names, int limit) {
        List<Reconciler.OfficerLoss> all = new ArrayList<>(names.length);
        for (int r = 0; r < names.length; r++) {
            all.add(new Reconciler.OfficerLoss(names[r], pChicken[r] - iChicken[r], days[r]));
        }
        all.sort(Comparator.comparingLong(Reconciler.OfficerLoss::chickenDiffMilli).reversed()
                .thenComparing(Reconciler.OfficerLoss::officer));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s = Math.addExact(s, v);
        }
        return s;
    }
}
