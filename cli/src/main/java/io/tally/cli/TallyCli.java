package io.tally.cli;

import io.tally.core.InputFault;
import io.tally.core.OutputFolderException;
import io.tally.core.RunTooLarge;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tally} program. Exit codes: 0 success; 1 {@code --fail-on-discrepancy} was given and a key
 * is not OK; 2 bad usage or unreadable input, with one line saying why; 3 an internal error.
 */
@Command(
        name = "tally",
        mixinStandardHelpOptions = true,
        versionProvider = TallyCli.Version.class,
        description = "Reconciles the purchase tracker against the inventory tracker.",
        subcommands = {
            ReconcileCommand.class,
            LocalCommand.class,
            GlueLocalCommand.class,
            SheetsCommand.class,
            GenerateCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TallyCli implements Runnable {
    public static final int OK = 0;
    public static final int DISCREPANCIES = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;
    /** The one line for running out of memory: what the run held, and what to do. */
    static String outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RunTooLarge big) {
                return "tally: out of memory holding " + big.held() + "; give Tally a larger heap, e.g. "
                        + "TALLY_HEAP=2g ./tally ...";
            }
        }
        return "tally: out of memory; give Tally a larger heap, e.g. TALLY_HEAP=2g ./tally ...";
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a command: reconcile, local, glue-local, sheets, generate or demo");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }

    /** Runs the program with the given streams and returns its exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(new CommandLine(new TallyCli()), args, out, err);
    }

    /** Runs {@code cli} (the program, or {@code glue-local}'s own entry) with the program's exit codes and errors. */
    static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((thrown, a) -> {
            CommandLine.ParameterException ex = unknownFirst(thrown, a);
            String help = ex.getCommandLine().getCommandName();
            String path = ex.getCommandLine().getParent() == null ? "tally" : "tally " + help;
            err.println("tally: " + what(ex) + suggestion(ex) + " (see '" + path + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (t instanceof OutOfMemoryError || t instanceof RunTooLarge) {
                    err.println(outOfMemory(ex));
                    return INTERNAL;
                }
            }
            if (ex instanceof RunFailedException) {
                err.println("tally: " + ex.getMessage());
                return INTERNAL;
            }
            String why = userFacing(ex);
            if (why != null) {
                err.println("tally: " + why);
                return USAGE;
            }
            err.println("tally: internal error: " + ex);
            ex.printStackTrace(err);
            return INTERNAL;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory(e));
            code = INTERNAL;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * A mistyped option ({@code --purchse}) also leaves a required one missing, and picocli reports the missing one;
     * the mistyped one is the user's mistake, so it is the one to report.
     */
    static CommandLine.ParameterException unknownFirst(CommandLine.ParameterException ex, String[] args) {
        if (!(ex instanceof CommandLine.MissingParameterException)) {
            return ex;
        }
        CommandLine.Model.CommandSpec command = ex.getCommandLine().getCommandSpec();
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.startsWith("--") && name.length() > 2 && command.findOption(name) == null) {
                return new CommandLine.UnmatchedArgumentException(ex.getCommandLine(), List.of(arg));
            }
        }
        return ex;
    }

    /** What was wrong: picocli's message, but a mistyped command is named as one. */
    static String what(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u
                && !ex.getCommandLine().getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        return ex.getMessage();
    }

    /** For a mistyped option or command, the closest ones picocli knows: {@code ; did you mean --purchase?}. */
    static String suggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) {
            return "";
        }
        List<String> close = u.getSuggestions();
        if (close.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", close.subList(0, Math.min(3, close.size()))) + "?";
    }

    /** The one-line reason for an input or environment fault, or null for a bug. */
    static String userFacing(Throwable ex) {
        if (ex instanceof InputFault || ex instanceof UsageException || ex instanceof OutputFolderException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException u) {
            return describe(u.getMessage(), u.getCause());
        }
        if (ex instanceof IOException io) {
            return describe(null, io);
        }
        return null;
    }

    private static String describe(String context, IOException io) {
        String what = io instanceof NoSuchFileException nf
                ? "no such file or folder: " + nf.getFile()
                : io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
        if (what.contains("No space left on device")
                && !(io instanceof FileSystemException fs && fs.getFile() != null)) {
            // The JVM does not say which disk: name the two Tally writes to, and what to do.
            return "no space left on the disk (Tally writes its temporary files under "
                    + System.getProperty("java.io.tmpdir") + ", and the reports in the report folder); free space "
                    + "there, or give another temporary folder with TALLY_JAVA_OPTS=-Djava.io.tmpdir=DIR";
        }
        if (context != null
                && (context.equals(String.valueOf(io))
                        || context.contains(what)
                        || io instanceof FileSystemException fs
                                && fs.getReason() != null
                                && context.contains(fs.getReason()))) {
            return context; // the context already says what the fault is
        }
        return context == null ? what : context + ": " + what;
    }

    /** A bad argument found after parsing (a missing file, a negative tolerance). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** A run that failed for a reason other than its input: exit 3, one line, no stack trace. */
    static final class RunFailedException extends RuntimeException {
        RunFailedException(String message) {
            super(message);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TallyCli.class.getPackage().getImplementationVersion();
            return new String[] {"tally " + (v == null ? "development build" : v)};
        }
    }
}
