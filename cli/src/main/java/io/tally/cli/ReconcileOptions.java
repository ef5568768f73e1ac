package io.tally.cli;

import io.tally.core.DateOrder;
import io.tally.core.Tolerances;
import java.math.BigDecimal;
import picocli.CommandLine.Option;

/** The reconciliation options shared by {@code reconcile} and {@code local}. */
final class ReconcileOptions {
    @Option(
            names = "--tolerance-kg",
            paramLabel = "KG",
            defaultValue = "0.5",
            description = "Weight loss always allowed per key, in kg (default: ${DEFAULT-VALUE}).")
    BigDecimal toleranceKg;

    @Option(
            names = "--tolerance-pct",
            paramLabel = "PCT",
            defaultValue = "2.0",
            description = "Weight loss allowed as a percentage of the purchase weight (default: ${DEFAULT-VALUE}).")
    BigDecimal tolerancePct;

    @Option(
            names = "--date-order",
            paramLabel = "ORDER",
            defaultValue = "day-first",
            description = "How d/M/yyyy dates read: day-first or month-first (default: ${DEFAULT-VALUE}).")
    String dateOrder;

    /** @throws TallyCli.UsageException for a negative tolerance or an unknown date order */
    Tolerances tolerances() {
        try {
            return new Tolerances(toleranceKg, tolerancePct);
        } catch (IllegalArgumentException e) {
            throw new TallyCli.UsageException(e.getMessage());
        }
    }

    DateOrder order() {
        try {
            return DateOrder.parse(dateOrder);
        } catch (IllegalArgumentException e) {
            throw new TallyCli.UsageException(e.getMessage());
        }
    }
}
