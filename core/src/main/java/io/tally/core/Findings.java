package io.tally.core;

import io.tally.core.internal.Dates;
import io.tally.core.internal.IntSort;
import io.tally.core.internal.Numbers;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code findings.csv}: why each key that is not {@code OK} was flagged, one row per failed check, the
 * rejected rows that would have changed the key, and for a key missing on one side the officer of the other side
 * whose name is a likely typo of its own (DATA.md, "Output: findings.csv").
 *
 * <p>Memory grows with flagged keys, not rows: per flagged key its place in the join, its sort value and two
 * small counters, about 40 bytes; the checks are rendered from the join's own arrays, one key at a time, in the
 * report's order (largest chicken difference first).
 */
final class Findings {
    /** Rejected rows named per key, in {@code rejected_rows.csv} order. */
    static final int REJECTED_NAMED = 5;
    /**
     * Name pairs compared in one run in the search for typos, at most: each date compares every officer missing
     * inventory with every officer missing purchase, so a date with half a million of each would take hours. Past
     * this budget a date's possible matches are not searched, and the run says so ({@link #unsearchedDates()}).
     */
    static long pairBudget = 200_000_000L;

    private final TrackerTotals purchase;
    private final TrackerTotals inventory;
    private final Tolerances tolerances;
    private final boolean gizzardCompared;
    private long pairsCompared;
    /** The kg tolerance in whole grams, rounded down; -1 when the fast path does not apply. */
    private final long kgFloorMilli;
    /** The percentage tolerance as {@code pctUnscaled / pctDenominator} of a weight (so 2.0% is 2 / 100). */
    private final long pctUnscaled;

    private final long pctDenominator;
    /** The largest purchase weight whose product with {@link #pctUnscaled} fits a {@code long}. */
    private final long maxPurchase;

    private final List<Integer> unsearched = new ArrayList<>();

    Findings(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        this.purchase = purchase;
        this.inventory = inventory;
        this.tolerances = tolerances;
        this.gizzardCompared = KeyJoin.gizzardCompared(purchase, inventory);
        BigDecimal pct = tolerances.pct().stripTrailingZeros();
        int scale = Math.max(0, pct.scale());
        if (scale <= 9 && pct.compareTo(BigDecimal.valueOf(1_000_000)) <= 0) {
            kgFloorMilli = tolerances
                    .kg()
                    .movePointRight(3)
                    .setScale(0, RoundingMode.FLOOR)
                    .longValueExact();
            pctUnscaled = pct.movePointRight(scale).longValueExact();
            pctDenominator = 100 * BigDecimal.TEN.pow(scale).longValueExact();
            maxPurchase = pctUnscaled == 0 ? Long.MAX_VALUE : Long.MAX_VALUE / pctUnscaled;
        } else {
            kgFloorMilli = -1;
            pctUnscaled = 0;
            pctDenominator = 1;
            maxPurchase = -1;
        }
    }

    /** The flagged keys, in report order, with what the report needs of each. */
    private static final class Flagged {
        int size;
        /** {@link KeyJoin#position()} of each. */
        long[] positions = new long[1024];
        /** (day, officer rank), packed so that report order is numeric order, for finding a rejected row's key. */
        long[] keys = new long[1024];
        /** |chicken_diff_kg| x 1000, or {@link Long#MAX_VALUE} when it does not fit (then in {@link #wide}). */
        long[] absChicken = new long[1024];
        /** The officer rank of a MISSING_* key's possible match, or -1. */
        int[] match = new int[1024];

        final Map<Integer, BigInteger> wide = new HashMap<>();

        int day(int i) {
            return (int) (keys[i] >> 32);
        }

        int add(long position, int day, int rank, KeyResult r) {
            if (size == positions.length) {
                int n = size * 2;
                positions = Arrays.copyOf(positions, n);
                keys = Arrays.copyOf(keys, n);
                absChicken = Arrays.copyOf(absChicken, n);
                match = Arrays.copyOf(match, n);
            }
            positions[size] = position;
            keys[size] = pack(day, rank);
            match[size] = -1;
            BigInteger abs = r.isWide() ? r.exactChickenDiffMilli().abs() : null;
            if (abs == null && r.chickenDiffMilli() != Long.MIN_VALUE) {
                absChicken[size] = Math.abs(r.chickenDiffMilli());
            } else {
                absChicken[size] = Long.MAX_VALUE;
                wide.put(
                        size,
                        abs != null
                                ? abs
                                : BigInteger.valueOf(r.chickenDiffMilli()).abs());
            }
            return size++;
        }

        /** Descending |chicken_diff_kg|; the caller breaks ties by report order. */
        int compareChicken(int x, int y) {
            if (absChicken[x] == Long.MAX_VALUE || absChicken[y] == Long.MAX_VALUE) {
                return exact(y).compareTo(exact(x));
            }
            return Long.compare(absChicken[y], absChicken[x]);
        }

        private BigInteger exact(int i) {
            BigInteger w = wide.get(i);
            return w != null ? w : BigInteger.valueOf(absChicken[i]);
        }
    }

    private static long pack(int day, int rank) {
        return ((long) day << 32) | rank;
    }

    /** The dates (days since 1970-01-01) whose possible matches were not searched: too many names to compare. */
    List<Integer> unsearchedDates() {
        return unsearched;
    }

    /** A key of one date that is missing on one side, waiting for the date's other keys. */
    private record Missing(int index, int rank, String officer, int[] points, boolean inventoryMissing) {}

    /** Writes the report, its header first, and returns the number of rows. */
    long write(Writer out) throws IOException {
        KeyJoin join = new KeyJoin(purchase, inventory, tolerances);
        Flagged flagged = new Flagged();
        List<Missing> sameDay = new ArrayList<>();
        int day = Integer.MIN_VALUE;
        while (join.hasNext()) {
            KeyResult r = join.next();
            if (r.epochDay() != day) {
                matchTypos(sameDay, flagged);
                day = r.epochDay();
            }
            if (r.status() == Status.OK) {
                continue;
            }
            int i = flagged.add(join.position(), r.epochDay(), join.officerRank(), r);
            if (r.status() == Status.MISSING_INVENTORY || r.status() == Status.MISSING_PURCHASE) {
                sameDay.add(new Missing(
                        i,
                        join.officerRank(),
                        r.officer(),
                        r.officer().codePoints().toArray(),
                        r.status() == Status.MISSING_INVENTORY));
            }
        }
        matchTypos(sameDay, flagged);

        int[] rejectedCount = new int[flagged.size];
        Map<Integer, StringBuilder> rejectedAt = new HashMap<>();
        tieRejectedRows(join, flagged, rejectedCount, rejectedAt);

        int[] order = new int[flagged.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        IntSort.sort(order, (x, y) -> {
            int c = flagged.compareChicken(x, y);
            return c != 0 ? c : Integer.compare(x, y);
        });

        out.write(Report.FINDINGS.header());
        out.write('\n');
        StringBuilder sb = new StringBuilder(512);
        long rows = 0;
        for (int i : order) {
            KeyResult r = join.at(flagged.positions[i]);
            StringBuilder at = rejectedAt.get(i);
            String match = flagged.match[i] >= 0 ? join.officer(flagged.match[i]) : "";
            sb.setLength(0);
            rows += appendKey(sb, r, rejectedCount[i], at == null ? "" : at.toString(), match);
            out.write(sb.toString());
        }
        return rows;
    }

    /**
     * Gives each key missing on one side the officer of the other side's missing key of the same date whose name is
     * closest to its own, at distance 1 or 2; ties go to the name first in {@code String.compareTo} order.
     */
    private void matchTypos(List<Missing> sameDay, Flagged flagged) {
        long inventoryMissing =
                sameDay.stream().filter(Missing::inventoryMissing).count();
        long pairs = 2 * inventoryMissing * (sameDay.size() - inventoryMissing);
        if (pairs > 0 && pairsCompared + pairs > pairBudget) {
            unsearched.add(flagged.day(sameDay.get(0).index()));
            sameDay.clear();
            return;
        }
        pairsCompared += pairs;
        if (sameDay.size() >= 2) {
            for (Missing m : sameDay) {
                int best = Integer.MAX_VALUE;
                Missing bestMatch = null;
                for (Missing other : sameDay) {
                    if (other.inventoryMissing() == m.inventoryMissing()) {
                        continue;
                    }
                    int d = Typos.distance(m.points(), other.points(), 2);
                    if (d >= 1
                            && d <= 2
                            && (d < best || (d == best && other.officer().compareTo(bestMatch.officer()) < 0))) {
                        best = d;
                        bestMatch = other;
                    }
                }
                if (bestMatch != null) {
                    flagged.match[m.index()] = bestMatch.rank();
                }
            }
        }
        sameDay.clear();
    }

    /** Counts, per flagged key, the rejected rows that name it, and names the first few in report order. */
    private void tieRejectedRows(
            KeyJoin join, Flagged flagged, int[] rejectedCount, Map<Integer, StringBuilder> rejectedAt) {
        if (flagged.size == 0) {
            return;
        }
        long[] keys = Arrays.copyOf(flagged.keys, flagged.size);
        for (TrackerTotals side : Reconciler.rejectedOrder(purchase, inventory)) {
            String tracker = side.layout().tracker().label();
            for (RejectedRow row : side.rejected()) {
                if (!row.hasKey()) {
                    continue;
                }
                int rank = join.rankOf(row.officer());
                if (rank < 0) {
                    continue;
                }
                int i = Arrays.binarySearch(keys, pack(row.day(), rank));
                if (i < 0) {
                    continue;
                }
                if (rejectedCount[i]++ < REJECTED_NAMED) {
                    StringBuilder at = rejectedAt.computeIfAbsent(i, k -> new StringBuilder());
                    if (at.length() > 0) {
                        at.append(' ');
                    }
                    at.append(tracker).append(':').append(row.row());
                }
            }
        }
    }

    /** Appends the rows of one flagged key, one per failed check, and returns how many. */
    private int appendKey(StringBuilder sb, KeyResult r, int rejected, String rejectedAt, String match) {
        String head = Dates.format(r.epochDay());
        if (r.status() == Status.MISSING_INVENTORY || r.status() == Status.MISSING_PURCHASE) {
            BigInteger p = r.purchase().exactChickenMilli();
            BigInteger i = r.inventory().exactChickenMilli();
            start(sb, head, r, r.status().name());
            sb.append(Numbers.milli(p)).append(',').append(Numbers.milli(i)).append(',');
            sb.append(Numbers.milli(p.subtract(i))).append(",,,");
            end(sb, rejected, rejectedAt, match);
            return 1;
        }
        int rows = 0;
        BigInteger birdDiff = r.exactBirdDiff();
        if (birdDiff.signum() != 0) {
            start(sb, head, r, "BIRDS");
            sb.append(r.purchase().exactBirds())
                    .append(',')
                    .append(r.inventory().exactBirds())
                    .append(',');
            sb.append(birdDiff).append(",0,").append(birdDiff.abs()).append(',');
            end(sb, rejected, rejectedAt, "");
            rows++;
        }
        if (!r.isWide()) {
            rows += weight(
                    sb,
                    head,
                    r,
                    "CHICKEN",
                    r.purchase().chickenMilli(),
                    r.inventory().chickenMilli(),
                    rejected,
                    rejectedAt);
            if (gizzardCompared) {
                rows += weight(
                        sb,
                        head,
                        r,
                        "GIZZARD",
                        r.purchase().gizzardMilli(),
                        r.inventory().gizzardMilli(),
                        rejected,
                        rejectedAt);
            }
            return rows;
        }
        rows += weight(
                sb,
                head,
                r,
                "CHICKEN",
                r.purchase().exactChickenMilli(),
                r.inventory().exactChickenMilli(),
                rejected,
                rejectedAt);
        if (gizzardCompared) {
            rows += weight(
                    sb,
                    head,
                    r,
                    "GIZZARD",
                    r.purchase().exactGizzardMilli(),
                    r.inventory().exactGizzardMilli(),
                    rejected,
                    rejectedAt);
        }
        return rows;
    }

    /** As the exact {@code weight} below, in {@code long}s: sums are never negative, so differences fit. */
    private int weight(
            StringBuilder sb,
            String head,
            KeyResult r,
            String check,
            long purchaseMilli,
            long inventoryMilli,
            int rejected,
            String rejectedAt) {
        long allowed = allowedMilli(purchaseMilli);
        if (allowed < 0) {
            return weight(
                    sb,
                    head,
                    r,
                    check,
                    BigInteger.valueOf(purchaseMilli),
                    BigInteger.valueOf(inventoryMilli),
                    rejected,
                    rejectedAt);
        }
        long diff = purchaseMilli - inventoryMilli;
        long excess = Math.abs(diff) - allowed;
        if (excess <= 0) {
            return 0;
        }
        start(sb, head, r, check);
        Numbers.appendMilli(sb, purchaseMilli);
        sb.append(',');
        Numbers.appendMilli(sb, inventoryMilli);
        sb.append(',');
        Numbers.appendMilli(sb, diff);
        sb.append(',');
        Numbers.appendMilli(sb, allowed);
        sb.append(',');
        Numbers.appendMilli(sb, excess);
        sb.append(',');
        end(sb, rejected, rejectedAt, "");
        return 1;
    }

    /**
     * {@link #allowedMilli(BigInteger)} in exact {@code long} arithmetic, or -1 when the tolerances or the weight are
     * beyond what it handles (then the exact form applies).
     */
    private long allowedMilli(long purchaseMilli) {
        if (kgFloorMilli < 0 || purchaseMilli > maxPurchase) {
            return -1;
        }
        // floor is monotonic: floor(max(a, b)) = max(floor(a), floor(b)), and for b = p * u / d, floor is p * u / d
        // in integer division, all non-negative.
        return Math.max(kgFloorMilli, purchaseMilli * pctUnscaled / pctDenominator);
    }

    /** One weight check's row, when it failed: 1 row, else none. */
    private int weight(
            StringBuilder sb,
            String head,
            KeyResult r,
            String check,
            BigInteger purchaseMilli,
            BigInteger inventoryMilli,
            int rejected,
            String rejectedAt) {
        BigInteger diff = purchaseMilli.subtract(inventoryMilli);
        BigInteger allowed = allowedMilli(purchaseMilli);
        BigInteger excess = diff.abs().subtract(allowed);
        if (excess.signum() <= 0) {
            return 0;
        }
        start(sb, head, r, check);
        sb.append(Numbers.milli(purchaseMilli))
                .append(',')
                .append(Numbers.milli(inventoryMilli))
                .append(',');
        sb.append(Numbers.milli(diff))
                .append(',')
                .append(Numbers.milli(allowed))
                .append(',');
        sb.append(Numbers.milli(excess)).append(',');
        end(sb, rejected, rejectedAt, "");
        return 1;
    }

    /**
     * The weight tolerance for a purchase weight, rounded down to whole grams: the largest difference that is still
     * within it. A difference in whole grams is over the tolerance exactly when its absolute value is over this.
     */
    BigInteger allowedMilli(BigInteger purchaseMilli) {
        BigDecimal byKg = tolerances.kg().movePointRight(3);
        BigDecimal byPct =
                new BigDecimal(purchaseMilli).multiply(tolerances.pct()).movePointLeft(2);
        return byKg.max(byPct).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }

    private static void start(StringBuilder sb, String date, KeyResult r, String check) {
        sb.append(date).append(',');
        CsvText.cell(sb, r.officer());
        sb.append(',').append(r.status().name()).append(',').append(check).append(',');
    }

    private static void end(StringBuilder sb, int rejected, String rejectedAt, String match) {
        sb.append(rejected).append(',');
        CsvText.cell(sb, rejectedAt);
        sb.append(',');
        CsvText.cell(sb, match);
        sb.append('\n');
    }
}
