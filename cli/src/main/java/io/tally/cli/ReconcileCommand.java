package io.tally.cli;

import io.tally.core.LocalRun;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code tally reconcile}: both trackers in, the reports out, on this machine's threads. */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description = "Reconciles a purchase tracker against an inventory tracker and writes "
                + "discrepancies.csv, rejected_rows.csv, officers.csv, summary.md and summary.json.")
final class ReconcileCommand extends RunCommand {
    @Override
    LocalRun.Reader reader() {
        return LocalRun.THREADS;
    }

    @Override
    String workers(LocalRun.Options options) {
        return String.format(Locale.ROOT, "%d thread(s)", options.threads());
    }
}
