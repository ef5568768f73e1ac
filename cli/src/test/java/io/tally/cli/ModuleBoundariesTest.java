package io.tally.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module map, checked on the compiled classes of every module (ArchUnit), not on their source text: no module
 * reaches into core's {@code internal} package; nothing deployed knows the local tooling; the Spark job and the
 * object store never use the Lambda handlers; core knows no AWS or Google; the Sheets adapter knows nothing of
 * reports or runs.
 */
@AnalyzeClasses(packages = "io.tally", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {
    private static final String[] DEPLOYED = {
        "io.tally.names..",
        "io.tally.core..",
        "io.tally.storage..",
        "io.tally.sheets..",
        "io.tally.functions..",
        "io.tally.glue.."
    };

    @ArchTest
    static final ArchRule onlyCoreUsesCoresInternalPackage = noClasses()
            .that()
            .resideOutsideOfPackage("io.tally.core..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tally.core.internal..");

    @ArchTest
    static final ArchRule nothingDeployedUsesTheCliOrTheEmulators = noClasses()
            .that()
            .resideInAnyPackage(DEPLOYED)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tally.cli..", "org.gaul..", "org.elasticmq..", "picocli..");

    @ArchTest
    static final ArchRule theSparkJobAndTheStore_neverUseTheLambdaHandlers = noClasses()
            .that()
            .resideInAnyPackage("io.tally.glue..", "io.tally.storage..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tally.functions..");

    @ArchTest
    static final ArchRule coreKnowsNoAwsNorGoogle = noClasses()
            .that()
            .resideInAPackage("io.tally.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.google..", "com.fasterxml..");

    @ArchTest
    static final ArchRule theSheetsAdapter_knowsNothingOfReportsOrRuns = noClasses()
            .that()
            .resideInAPackage("io.tally.sheets..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tally.core..", "io.tally.storage..", "io.tally.functions..");
}
