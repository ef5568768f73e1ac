package io.tally.core;

import io.tally.core.internal.ExactSums;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Per-officer totals over all of an officer's days, built from the {@link KeyResult}s of a join and indexed
 * by the officer's rank in name order. Sums are exact however large they grow.
 */
public final class OfficerRollup {
    private static final int STATUSES = Status.values().length;

    private final List<String> names;
    private final long[] days;
    private final ExactSums pBirds;
    private final ExactSums iBirds;
    private final ExactSums pChicken;
    private final ExactSums iChicken;
    private final ExactSums pGizzard;
    private final ExactSums iGizzard;
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
        pBirds = new ExactSums(n);
        iBirds = new ExactSums(n);
        pChicken = new ExactSums(n);
        iChicken = new ExactSums(n);
        pGizzard = new ExactSums(n);
        iGizzard = new ExactSums(n);
        invoices = new long[n];
        statusCounts = new long[n * STATUSES];
    }

    /** Adds one key of the officer at {@code rank}. */
    public void add(int rank, KeyResult r) {
        days[rank]++;
        add(rank, r.purchase(), pBirds, pChicken, pGizzard);
        add(rank, r.inventory(), iBirds, iChicken, iGizzard);
        invoices[rank] += r.purchase().invoices();
        statusCounts[rank * STATUSES + r.status().ordinal()]++;
    }

    private static void add(int rank, KeyResult.Side side, ExactSums birds, ExactSums chicken, ExactSums gizzard) {
        if (side.isWide()) {
            birds.add(rank, side.exactBirds());
            chicken.add(rank, side.exactChickenMilli());
            gizzard.add(rank, side.exactGizzardMilli());
        } else {
            birds.add(rank, side.birds());
            chicken.add(rank, side.chickenMilli());
            gizzard.add(rank, side.gizzardMilli());
        }
    }

    public int size() {
        return names.size();
    }

    /** The officer at {@code rank}, in report order. */
    public Officer officer(int rank) {
        long[] counts = new long[STATUSES];
        System.arraycopy(statusCounts, rank * STATUSES, counts, 0, STATUSES);
        return new Officer(names.get(rank), days[rank], side(rank, pBirds, pChicken, pGizzard, invoices[rank]),
                side(rank, iBirds, iChicken, iGizzard, 0), counts);
    }

    private static KeyResult.Side side(int rank, ExactSums birds, ExactSums chicken, ExactSums gizzard,
            long invoiceCount) {
        if (birds.isWide(rank) || chicken.isWide(rank) || gizzard.isWide(rank)) {
            return new KeyResult.Side(true, 0, 0, 0, invoiceCount, new KeyResult.Side.Exact(birds.exact(rank),
                    chicken.exact(rank), gizzard.exact(rank)));
        }
        return new KeyResult.Side(true, birds.get(rank), chicken.get(rank), gizzard.get(rank), invoiceCount);
    }

    BigInteger totalBirdDiff() {
        return pBirds.total(size()).subtract(iBirds.total(size()));
    }

    BigInteger totalChickenDiff() {
        return pChicken.total(size()).subtract(iChicken.total(size()));
    }

    BigInteger totalGizzardDiff() {
        return pGizzard.total(size()).subtract(iGizzard.total(size()));
    }

    /** The officers who lost the most chicken, largest loss first, ties by name. */
    List<Reconciler.OfficerLoss> topLosses(int limit) {
        List<Reconciler.OfficerLoss> all = new ArrayList<>(names.size());
        for (int r = 0; r < names.size(); r++) {
            all.add(new Reconciler.OfficerLoss(names.get(r), pChicken.exact(r).subtract(iChicken.exact(r)), days[r]));
        }
        all.sort(Comparator.comparing(Reconciler.OfficerLoss::chickenDiffMilli).reversed()
                .thenComparing(Reconciler.OfficerLoss::officer));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
}
