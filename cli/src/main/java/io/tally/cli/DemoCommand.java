package io.tally.cli;

import io.tally.core.sample.SampleGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tally demo}: generates a messy sample pair and reconciles it, so a fresh clone shows a report. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Generates a messy sample pair of trackers and reconciles them.")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--rows",
            paramLabel = "N",
            defaultValue = "200000",
            description = "Purchase rows to generate (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "sample",
            description = "Folder for the sample trackers; the report goes to DIR/report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        int generated = root.execute("generate", "--rows", Long.toString(rows), "--messy", "--out", out.toString());
        if (generated != TallyCli.OK) {
            return generated;
        }
        return root.execute(
                "reconcile",
                "--purchase",
                out.resolve(SampleGenerator.PURCHASE_FILE).toString(),
                "--inventory",
                out.resolve(SampleGenerator.INVENTORY_FILE).toString(),
                "--out",
                out.resolve("report").toString());
    }
}
