package io.tally.cli;

import io.tally.core.DateOrder;
import io.tally.core.Tolerances;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The reconciliation options shared by {@code reconcile} and {@code local}. */
final class ReconcileOptions {
    @Option(
            names = "--tolerance-kg",
            paramLabel = "KG",
            defaultValue = "0.5",
            converter = Kilograms.class,
            description = "Weight loss always allowed per key, in kg (default: ${DEFAULT-VALUE}).")
    BigDecimal toleranceKg;

    @Option(
            names = "--tolerance-pct",
            paramLabel = "PCT",
            defaultValue = "2.0",
            converter = Percent.class,
            description = "Weight loss allowed as a percentage of the purchase weight (default: ${DEFAULT-VALUE}).")
    BigDecimal tolerancePct;

    @Option(
            names = "--date-order",
            paramLabel = "ORDER",
            defaultValue = "day-first",
            description = "How d/M/yyyy dates read: day-first or month-first (default: ${DEFAULT-VALUE}).")
    String dateOrder;

    /** A tolerance in kg: a plain number; with a unit ({@code 1kg}) it is refused with what to write instead. */
    static final class Kilograms implements CommandLine.ITypeConverter<BigDecimal> {
        @Override
        public BigDecimal convert(String text) {
            return number(text, "--tolerance-kg", "kilograms");
        }
    }

    /** A tolerance in per cent: a plain number; {@code 2%} is refused with what to write instead. */
    static final class Percent implements CommandLine.ITypeConverter<BigDecimal> {
        @Override
        public BigDecimal convert(String text) {
            return number(text, "--tolerance-pct", "per cent");
        }
    }

    private static final Pattern WITH_UNIT = Pattern.compile("\\s*([+-]?[0-9.]+)\\s*(\\S+)\\s*");

    private static BigDecimal number(String text, String option, String unit) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            Matcher m = WITH_UNIT.matcher(text);
            String example = m.matches() ? m.group(1) : "1";
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number; give the " + unit
                    + " as a plain number, without a unit: " + option + " " + example);
        }
    }

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
