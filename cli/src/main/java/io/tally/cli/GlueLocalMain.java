package io.tally.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry {@code ./tally glue-local} runs on the glue module's class path (Spark, the Glue job, core, storage,
 * picocli and this module's classes, never {@code tally.jar}, whose emulators bring a Scala that clashes with
 * Spark's). It runs the very {@link GlueLocalCommand} that {@code tally --help} lists, with {@link TallyCli}'s
 * exit codes and one-line errors. It loads no other command, so nothing of the functions is needed here.
 */
@Command(name = "tally", subcommands = GlueLocalCommand.class)
final class GlueLocalMain implements Runnable {
    /** Spark logs each task failure with its stack trace; the one line Tally prints says what went wrong. */
    static final String LOG_CONFIG = "io/tally/cli/glue-local-log4j2.properties";

    private GlueLocalMain() {}

    @Override
    public void run() {
        throw new IllegalStateException("only glue-local runs here");
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        String[] all = Stream.concat(Stream.of("glue-local"), Stream.of(args)).toArray(String[]::new);
        System.exit(TallyCli.execute(new CommandLine(new GlueLocalMain()), all, out, err));
    }
}
