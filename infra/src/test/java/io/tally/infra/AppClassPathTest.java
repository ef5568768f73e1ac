package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The app cdk runs (cdk.json: java on target/classpath.txt) carries the shared names, not the functions. */
class AppClassPathTest {

    @Test
    void appClassPath_holdsNamesAndTheCdk_butNoFunctionOrGlueClasses() throws Exception {
        String classPath = Files.readString(Path.of("target/classpath.txt"));

        assertThat(classPath).contains("aws-cdk-lib").containsPattern("names/target|tally-names");
        assertThat(classPath)
                .doesNotContain("tally-functions")
                .doesNotContain("functions/target")
                .doesNotContain("tally-glue")
                .doesNotContain("glue/target")
                .doesNotContain("tally-core");
    }
}
