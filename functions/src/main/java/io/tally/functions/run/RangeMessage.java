package io.tally.functions.run;

import io.tally.core.RangePlan;

/**
 * The body of one range-queue message: read this range of the run's plan into a partial; or, with {@code
 * invoiceSpans} (the second round of a run whose keys are not all OK), read this span of a tracker ({@code n}
 * its span's number, {@code start} a record start) again into its {@code invoices.csv} lines, one of
 * {@code invoiceSpans}.
 */
public record RangeMessage(String runId, RangePlan.Range range, Integer invoiceSpans) {
    /** A first-round message: this range into a partial. */
    public RangeMessage(String runId, RangePlan.Range range) {
        this(runId, range, null);
    }

    /** Whether this is a second-round message, for {@code invoices.csv}. */
    public boolean forInvoices() {
        return invoiceSpans != null;
    }

    public String label() {
        return range.label();
    }
}
