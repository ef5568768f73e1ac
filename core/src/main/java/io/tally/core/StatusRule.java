package io.tally.core;

import io.tally.core.internal.ToleranceCheck;

/** DATA.md's status rule, first that applies: missing inventory, missing purchase, discrepancy, OK. */
final class StatusRule {
    private final ToleranceCheck tolerances;
    private final boolean compareGizzard;

    /**
     * @param compareGizzard false when either tracker has no gizzard column: gizzard then plays no part
     */
    public StatusRule(Tolerances tolerances, boolean compareGizzard) {
        this.tolerances = new ToleranceCheck(tolerances);
        this.compareGizzard = compareGizzard;
    }

    public Status decide(KeyResult.Side purchase, KeyResult.Side inventory) {
        if (!inventory.present()) {
            return Status.MISSING_INVENTORY;
        }
        if (!purchase.present()) {
            return Status.MISSING_PURCHASE;
        }
        if (purchase.isWide() || inventory.isWide()) {
            return exactDiscrepancy(purchase, inventory) ? Status.DISCREPANCY : Status.OK;
        }
        if (purchase.birds() != inventory.birds()
                || tolerances.exceeded(purchase.chickenMilli() - inventory.chickenMilli(), purchase.chickenMilli())
                || (compareGizzard
                        && tolerances.exceeded(
                                purchase.gizzardMilli() - inventory.gizzardMilli(), purchase.gizzardMilli()))) {
            return Status.DISCREPANCY;
        }
        return Status.OK;
    }

    /** The same rule on sums too large for a {@code long}. */
    private boolean exactDiscrepancy(KeyResult.Side p, KeyResult.Side i) {
        return !p.exactBirds().equals(i.exactBirds())
                || tolerances.exceeded(p.exactChickenMilli().subtract(i.exactChickenMilli()), p.exactChickenMilli())
                || (compareGizzard
                        && tolerances.exceeded(
                                p.exactGizzardMilli().subtract(i.exactGizzardMilli()), p.exactGizzardMilli()));
    }
}
