package io.tally.cli.bench;

import io.tally.cli.sheets.SheetsBench;

/** Figures for the Sheets issue: see {@link SheetsBench}. Run with scripts/benchmark-sheets. */
public final class SheetsBenchmark {
    private SheetsBenchmark() {}

    public static void main(String[] args) throws Exception {
        SheetsBench.main(args);
    }
}
