package io.tally.cli;

import io.tally.core.sample.SampleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tally generate}: a realistic pair of trackers at any scale. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Writes a realistic purchase.csv and inventory.csv to try Tally on.")
final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "Purchase rows to write.")
    long rows;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the two files.")
    Path out;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--messy",
            description = "Title rows, odd headers, every date form, units, separators, "
                    + "bad rows, blank rows, quoted newlines and CRLF, as real exports have.")
    boolean messy;

    static final long MAX_ROWS = 1_000_000_000L;

    @Override
    public Integer call() throws Exception {
        if (rows < 0 || rows > MAX_ROWS) {
            throw new TallyCli.UsageException("--rows must be 0 to " + String.format(Locale.ROOT, "%,d", MAX_ROWS)
                    + " (about 90 GB a file), not " + rows);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new TallyCli.UsageException(out + ": is a file, not a folder");
        }
        Path existing = out.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new TallyCli.UsageException(out + ": cannot be created: " + existing + " is a file, not a folder");
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw new TallyCli.UsageException(out + ": cannot be written: " + existing + " is not writable");
        }
        SampleGenerator.Written w = new SampleGenerator(new SampleGenerator.Options(rows, seed, messy)).write(out);
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "wrote %s (%,d rows) and %s (%,d rows)%n",
                        w.purchase(),
                        w.purchaseRows(),
                        w.inventory(),
                        w.inventoryRows());
        return TallyCli.OK;
    }
}
