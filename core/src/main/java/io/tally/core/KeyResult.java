package io.tally.core;

import io.tally.core.internal.Dates;
import java.util.Objects;

/**
 * One (date, officer) key of a reconciliation: both sides' measures, their differences and the status.
 * Renderers turn it into a CSV line or a spreadsheet row; nothing here knows either form.
 *
 * @param epochDay  the date, as days since 1970-01-01
 * @param officer   the officer's title-cased name, before any formula escape
 * @param purchase  the purchase side's totals, {@link Side#ABSENT} when it has no rows for the key
 * @param inventory the inventory side's totals, {@link Side#ABSENT} when it has no rows for the key
 * @param status    the verdict, by {@link StatusRule}
 */
public record KeyResult(int epochDay, String officer, Side purchase, Side inventory, Status status) {

    /**
     * One side's totals for a key. Weights are kg x 1000, exact.
     *
     * @param present      whether the side has rows for the key
     * @param invoices     distinct invoice numbers (purchase side only; 0 otherwise)
     */
    public record Side(boolean present, long birds, long chickenMilli, long gizzardMilli, long invoices) {
        /** A side with no rows for the key: it counts as zero. */
        public static final Side ABSENT = new Side(false, 0, 0, 0, 0);
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

    /** Purchase minus inventory birds. */
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
}
