package io.tally.core;

import io.tally.core.internal.ExactSums;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.IntFunction;

/**
 * Per-officer totals over all of an officer's days, built from the {@link KeyResult}s of a join that comes
 * grouped by officer ({@link KeyJoin#restartByOfficer()}). It holds one officer at a time and hands each to a
 * {@link Sink} when the next begins, so a million officers cost no more than one. Sums are exact however
 * large they grow; the run's totals and its largest losses are kept as it goes.
 */
final class OfficerRollup {
    private static final int STATUSES = Status.values().length;
    /** Sum columns: purchase then inventory birds, chicken and gizzard; the run's totals use the same order. */
    private static final int P_BIRDS = 0;

    private static final int P_CHICKEN = 1;
    private static final int P_GIZZARD = 2;
    private static final int I_BIRDS = 3;
    private static final int I_CHICKEN = 4;
    private static final int I_GIZZARD = 5;

    /** Takes each officer as its totals complete, in rank order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Officer officer) throws IOException;
    }

    /**
     * One officer's totals over all days.
     *
     * @param keysByStatus keys per status, in {@link Status} order
     */
    public record Officer(
            String officer, long days, KeyResult.Side purchase, KeyResult.Side inventory, long[] keysByStatus) {
        public long keys(Status s) {
            return keysByStatus[s.ordinal()];
        }
    }

    private record Loss(int rank, BigInteger milli, long days) {}

    private static final Comparator<Loss> WORST_FIRST =
            Comparator.comparing(Loss::milli).reversed().thenComparingInt(Loss::rank);
    /** Gains are negative losses: the largest gain is the most negative, ties by name. */
    private static final Comparator<Loss> LARGEST_GAIN_FIRST =
            Comparator.comparing(Loss::milli).thenComparingInt(Loss::rank);

    private final IntFunction<String> names;
    private final Sink sink;
    private final int lossesKept;
    private final PriorityQueue<Loss> losses = new PriorityQueue<>(WORST_FIRST.reversed());
    private final PriorityQueue<Loss> gains = new PriorityQueue<>(LARGEST_GAIN_FIRST.reversed());
    private int firstDay = Integer.MAX_VALUE;
    private int lastDay = Integer.MIN_VALUE;
    private final ExactSums run = new ExactSums(6);

    private int rank = -1;
    private long days;
    private ExactSums sums = new ExactSums(6);
    private long invoices;
    private final long[] statusCounts = new long[STATUSES];

    /**
     * @param names      the officer at each rank, in report order ({@link KeyJoin#officer(int)})
     * @param lossesKept how many of the largest losses {@link #topLosses()} gives
     * @param sink       takes each officer's totals
     */
    public OfficerRollup(IntFunction<String> names, int lossesKept, Sink sink) {
        this.names = names;
        this.lossesKept = lossesKept;
        this.sink = sink;
    }

    /** Adds one key of the officer at {@code rank}; keys of one officer must come together. */
    public void add(int rank, KeyResult r) throws IOException {
        if (rank != this.rank) {
            if (rank < this.rank) {
                throw new IllegalArgumentException("officers must come in rank order: " + rank + " after " + this.rank);
            }
            flush();
            this.rank = rank;
        }
        days++;
        firstDay = Math.min(firstDay, r.epochDay());
        lastDay = Math.max(lastDay, r.epochDay());
        add(r.purchase(), P_BIRDS);
        add(r.inventory(), I_BIRDS);
        invoices += r.purchase().invoices();
        statusCounts[r.status().ordinal()]++;
    }

    /** Hands over the last officer. */
    public void finish() throws IOException {
        flush();
    }

    private void add(KeyResult.Side side, int first) {
        if (side.isWide()) {
            sums.add(first, side.exactBirds());
            sums.add(first + 1, side.exactChickenMilli());
            sums.add(first + 2, side.exactGizzardMilli());
        } else {
            sums.add(first, side.birds());
            sums.add(first + 1, side.chickenMilli());
            sums.add(first + 2, side.gizzardMilli());
        }
    }

    private void flush() throws IOException {
        if (rank < 0) {
            return;
        }
        for (int c = 0; c < 6; c++) {
            run.add(c, sums.exact(c));
        }
        String name = names.apply(rank);
        sink.accept(new Officer(name, days, side(P_BIRDS, invoices), side(I_BIRDS, 0), statusCounts.clone()));
        Loss loss = new Loss(rank, sums.exact(P_CHICKEN).subtract(sums.exact(I_CHICKEN)), days);
        keep(loss.milli().signum() > 0 ? losses : gains, loss, loss.milli().signum());
        days = 0;
        sums = new ExactSums(6);
        invoices = 0;
        Arrays.fill(statusCounts, 0);
    }

    private KeyResult.Side side(int first, long invoiceCount) {
        if (sums.isWide(first) || sums.isWide(first + 1) || sums.isWide(first + 2)) {
            return new KeyResult.Side(
                    true,
                    0,
                    0,
                    0,
                    invoiceCount,
                    new KeyResult.Side.Exact(sums.exact(first), sums.exact(first + 1), sums.exact(first + 2)));
        }
        return new KeyResult.Side(true, sums.get(first), sums.get(first + 1), sums.get(first + 2), invoiceCount);
    }

    BigInteger totalBirdDiff() {
        return run.exact(P_BIRDS).subtract(run.exact(I_BIRDS));
    }

    BigInteger totalChickenDiff() {
        return run.exact(P_CHICKEN).subtract(run.exact(I_CHICKEN));
    }

    BigInteger totalGizzardDiff() {
        return run.exact(P_GIZZARD).subtract(run.exact(I_GIZZARD));
    }

    /** Keeps {@code loss} among the {@code lossesKept} largest of its kind; an officer who neither lost nor gained is in neither. */
    private void keep(PriorityQueue<Loss> kept, Loss loss, int sign) {
        if (sign == 0) {
            return;
        }
        kept.add(loss);
        if (kept.size() > lossesKept) {
            kept.poll();
        }
    }

    /**
     * The officers who lost the most chicken (purchase above inventory), largest loss first, ties by name (ranks are
     * in name order). Only losses: an officer whose inventory holds more is in {@link #topGains()}.
     */
    List<Reconciler.OfficerLoss> topLosses() {
        return sorted(losses, WORST_FIRST);
    }

    /** The officers whose inventory holds the most chicken over their purchases, largest gain (most negative) first. */
    List<Reconciler.OfficerLoss> topGains() {
        return sorted(gains, LARGEST_GAIN_FIRST);
    }

    /** The first and last date of any key, as days since 1970-01-01, or empty when there is no key. */
    Optional<int[]> dayRange() {
        return firstDay > lastDay ? Optional.empty() : Optional.of(new int[] {firstDay, lastDay});
    }

    private List<Reconciler.OfficerLoss> sorted(PriorityQueue<Loss> kept, Comparator<Loss> order) {
        List<Loss> top = new ArrayList<>(kept);
        top.sort(order);
        List<Reconciler.OfficerLoss> out = new ArrayList<>(top.size());
        for (Loss l : top) {
            out.add(new Reconciler.OfficerLoss(names.apply(l.rank()), l.milli(), l.days()));
        }
        return List.copyOf(out);
    }
}
