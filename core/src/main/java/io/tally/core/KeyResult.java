package io.tally.core;

import io.tally.core.internal.Dates;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One (date, officer) key of a reconciliation: both sides' measures, their differences and the status.
 * Renderers turn it into a CSV line or a spreadsheet row; nothing here knows either form.
 *
 * <p>Sums are exact however large they grow. They are {@code long}s, except on a side whose sums left the
 * {@code long} range ({@link Side#isWide()}), where only the {@code exact} accessors give them.
 *
 * @param epochDay  the date, as days since 1970-01-01
 * @param officer   the officer's title-cased name, before any formula escape
 * @param purchase  the purchase side's totals, {@link Side#ABSENT} when it has no rows for the key
 * @param inventory the inventory side's totals, {@link Side#ABSENT} when it has no rows for the key
 * @param status    the verdict, by {@link StatusRule}
 */
record KeyResult(int epochDay, String officer, Side purchase, Side inventory, Status status) {

    /**
     * One side's totals for a key. Weights are kg x 1000.
     *
     * @param present  whether the side has rows for the key
     * @param invoices distinct invoice numbers (purchase side only; 0 otherwise)
     * @param exact    the three sums exactly, when one of them does not fit in a {@code long} (the long
     *                 fields are then 0); null otherwise
     */
    public record Side(boolean present, long birds, long chickenMilli, long gizzardMilli, long invoices, Exact exact) {
        /** A side with no rows for the key: it counts as zero. */
        public static final Side ABSENT = new Side(false, 0, 0, 0, 0);

        /** Sums too large for a {@code long}. */
        public record Exact(BigInteger birds, BigInteger chickenMilli, BigInteger gizzardMilli) {}

        public Side(boolean present, long birds, long chickenMilli, long gizzardMilli, long invoices) {
            this(present, birds, chickenMilli, gizzardMilli, invoices, null);
        }

        public boolean isWide() {
            return exact != null;
        }

        public BigInteger exactBirds() {
            return exact != null ? exact.birds() : BigInteger.valueOf(birds);
        }

        public BigInteger exactChickenMilli() {
            return exact != null ? exact.chickenMilli() : BigInteger.valueOf(chickenMilli);
        }

        public BigInteger exactGizzardMilli() {
            return exact != null ? exact.gizzardMilli() : BigInteger.valueOf(gizzardMilli);
        }
    }

    public KeyResult {
        Objects.requireNonNull(officer, "officer");
        Objects.requireNonNull(purchase, "purchase");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(status, "status");
    }

    /** The date as the reports write it: {@code yyyy-MM-dd}. */
    public String date() {
        return Dates.format(epochDay);
    }

    /** Whether either side's sums left the {@code long} range: then only the {@code exact} methods apply. */
    public boolean isWide() {
        return purchase.isWide() || inventory.isWide();
    }

    /** Purchase minus inventory birds. Sums are never negative, so the difference of longs fits a long. */
    public long birdDiff() {
        return purchase.birds() - inventory.birds();
    }

    /** Purchase minus inventory chicken, kg x 1000: positive is a loss. */
    public long chickenDiffMilli() {
        return purchase.chickenMilli() - inventory.chickenMilli();
    }

    /** Purchase minus inventory gizzard, kg x 1000 (meaningless when gizzard is not compared). */
    public long gizzardDiffMilli() {
        return purchase.gizzardMilli() - inventory.gizzardMilli();
    }

    public BigInteger exactBirdDiff() {
        return purchase.exactBirds().subtract(inventory.exactBirds());
    }

    public BigInteger exactChickenDiffMilli() {
        return purchase.exactChickenMilli().subtract(inventory.exactChickenMilli());
    }

    public BigInteger exactGizzardDiffMilli() {
        return purchase.exactGizzardMilli().subtract(inventory.exactGizzardMilli());
    }
}
