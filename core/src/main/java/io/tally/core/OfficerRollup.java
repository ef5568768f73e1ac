package io.tally.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Per-officer totals over all of an officer's days, built from the {@link KeyResult}s of a join and indexed
 * by the officer's rank in name order.
 */
public final class OfficerRollup {
    private static final int STATUSES = Status.values().length;

    private final List<String> names;
    private final long[] days;
    private final long[] pBirds;
    private final long[] iBirds;
    private final long[] pChicken;
    private final long[] iChicken;
    private final long[] pGizzard;
    private final long[] iGizzard;
    private final long[] invoices;
    private final long[] statusCounts;

    /**
     * One officer's totals over all days.
     *
     * @param keysByStatus keys per status, in {@link Status} order
     */
    public record Officer(String officer, long days, KeyResult.Side purchase, KeyResult.Side inventory,
            long[] keysByStatus) {
        public long keys(Status s) {
            return keysByStatus[s.ordinal()];
        }
    }

    /** @param names every officer of the join, in report order ({@link KeyJoin#officers()}) */
    public OfficerRollup(List<String> names) {
        int n = names.size();
        this.names = names;
        days = new long[n];
        pBirds = new long[n];
        iBirds = new long[n];
        pChicken = new long[n];
        iChicken = new long[n];
        pGizzard = new long[n];
        iGizzard = new long[n];
        invoices = new long[n];
        statusCounts = new long[n * STATUSES];
    }

    /** Adds one key of the officer at {@code rank}. */
    public void add(int rank, KeyResult r) {
        days[rank]++;
        pBirds[rank] += r.purchase().birds();
        iBirds[rank] += r.inventory().birds();
        pChicken[rank] += r.purchase().chickenMilli();
        iChicken[rank] += r.inventory().chickenMilli();
        pGizzard[rank] += r.purchase().gizzardMilli();
        iGizzard[rank] += r.inventory().gizzardMilli();
        invoices[rank] += r.purchase().invoices();
        statusCounts[rank * STATUSES + r.status().ordinal()]++;
    }

    public int size() {
        return names.size();
    }

    /** The officer at {@code rank}, in report order. */
    public Officer officer(int rank) {
        long[] counts = new long[STATUSES];
        System.arraycopy(statusCounts, rank * STATUSES, counts, 0, STATUSES);
        return new Officer(names.get(rank), days[rank],
                new KeyResult.Side(true, pBirds[rank], pChicken[rank], pGizzard[rank], invoices[rank]),
                new KeyResult.Side(true, iBirds[rank], iChicken[rank], iGizzard[rank], 0), counts);
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
    List<Reconciler.OfficerLoss> topLosses(int limit) {
        List<Reconciler.OfficerLoss> all = new ArrayList<>(names.size());
        for (int r = 0; r < names.size(); r++) {
            all.add(new Reconciler.OfficerLoss(names.get(r), pChicken[r] - iChicken[r], days[r]));
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
