package io.tally.core;

import java.nio.file.Path;

/**
 * A run of {@link InvoicesMemoryTest} in a JVM of its own with a small heap: {@code purchase inventory out
 * lineBudget}. A line budget of 0 keeps the default; a huge one keeps every invoice line in memory.
 */
final class InvoicesHeapProbe {
    private InvoicesHeapProbe() {}

    public static void main(String[] args) throws Exception {
        int budget = Integer.parseInt(args[3]);
        if (budget > 0) {
            InvoiceCollector.byteBudget = Long.MAX_VALUE;
            InvoiceCollector.lineBudget = budget;
            InvoiceCollector.keptInMemory = budget;
            Invoices.memoryLines = budget;
        }
        LocalRun.run(
                Path.of(args[0]),
                Path.of(args[1]),
                Path.of(args[2]),
                new LocalRun.Options(Tolerances.DEFAULT, DateOrder.DAY_FIRST, 2, 0),
                Engine.Progress.NONE);
    }
}
