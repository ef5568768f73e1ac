package io.tally.cli;

import io.tally.core.LocalRun;
import java.util.Locale;
import java.util.ServiceLoader;
import picocli.CommandLine.Command;

/**
 * {@code tally glue-local}: the Glue job's transform in Spark local mode, with {@code tally reconcile}'s options,
 * checks, report folder and exit codes ({@link RunCommand}). Spark is not in {@code tally.jar}: the launcher runs
 * this command through {@link GlueLocalMain} on the glue module's class path, where the Spark reader is found
 * with {@link ServiceLoader}. Run from {@code tally.jar} alone, it says so and how to run it.
 */
@Command(
        name = "glue-local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Glue job's Spark transform in Spark local mode on this machine and writes the same "
                    + "reports as reconcile (summary.json says \"executor\" : \"glue\").",
            "Spark is not in tally.jar: run it as ./tally glue-local, which builds Spark's class path on first use."
        })
final class GlueLocalCommand extends RunCommand {
    static final String SPARK_SESSION = "org.apache.spark.sql.SparkSession";

    @Override
    LocalRun.Reader reader() {
        try {
            Class.forName(SPARK_SESSION, false, GlueLocalCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw notHere();
        }
        return ServiceLoader.load(LocalRun.Reader.class, GlueLocalCommand.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(r -> r.executor().equals("glue"))
                .findFirst()
                .orElseThrow(GlueLocalCommand::notHere);
    }

    private static TallyCli.UsageException notHere() {
        return new TallyCli.UsageException("glue-local needs Spark and the Glue job, which tally.jar does not carry; "
                + "run it as ./tally glue-local, which builds their class path on first use");
    }

    @Override
    String workers(LocalRun.Options options) {
        return String.format(Locale.ROOT, "Spark local[%d]", options.threads());
    }
}
