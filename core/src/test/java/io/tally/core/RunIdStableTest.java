package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunIdStableTest {

    @Test
    void theSameInputs_giveTheSameRunId_whateverTheTimeOrTheCut_andAChangedInputAnother(@TempDir Path tmp)
            throws Exception {
        Path p = Files.writeString(
                tmp.resolve("purchase.csv"),
                "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
                        + "PURCHASED CHICKEN WEIGHT,PURCHASED GIZZARD WEIGHT\n2024-01-01,Ada,INV-1,10,20.000,1.000\n");
        Path i = Files.writeString(
                tmp.resolve("inventory.csv"),
                "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
                        + "INVENTORY CHICKEN WEIGHT,INVENTORY GIZZARD WEIGHT\n2024-01-01,Ada,DLV-1,10,20.000,1.000\n");
        String first = run(p, i, tmp.resolve("a"), 1, 0);
        Thread.sleep(5);
        assertThat(run(p, i, tmp.resolve("b"), 2, 4096)).isEqualTo(first);
        Files.writeString(i, Files.readString(i).replace("20.000", "19.000"));
        assertThat(run(p, i, tmp.resolve("c"), 1, 0)).isNotEqualTo(first);
        assertThat(Files.readString(tmp.resolve("a/summary.json")))
                .contains("\"fingerprint\" : \"" + Digests.fingerprint(ByteSource.of(p)) + "\"");
    }

    private static String run(Path p, Path i, Path out, int threads, long rangeBytes) throws Exception {
        return LocalRun.run(
                        p,
                        i,
                        out,
                        new LocalRun.Options(Tolerances.DEFAULT, DateOrder.DAY_FIRST, threads, rangeBytes),
                        Engine.Progress.NONE)
                .info()
                .runId();
    }
}
