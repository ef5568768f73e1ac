package io.tally.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.storage.ObjectStore;
import io.tally.storage.S3ObjectStore;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed upload the reducer writes its reports through, against s3proxy with the real SDK: parts sent
 * while the next fills, the object appearing only whole, nothing left by an abort, and a part that failed
 * failing the upload rather than leaving a hole.
 */
class MultipartUploadIT {
    private static final String BUCKET = "multipart-bucket";

    @TempDir
    static Path dir;

    private static EmbeddedAws aws;
    private static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        aws = EmbeddedAws.start(dir.resolve("s3"));
        aws.createBucket(BUCKET);
        store = new S3ObjectStore(aws.s3(), BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aStreamOfSeveralParts_appearsWhole_andOnlyOnCompletion() throws Exception {
        byte[] want = bytes((8 << 20) * 2 + 12_345, 1);
        try (ObjectStore.Upload upload = store.upload("reports/r1/discrepancies.csv", "text/csv")) {
            OutputStream out = upload.stream();
            for (int at = 0; at < want.length; at += 65_536) {
                out.write(want, at, Math.min(65_536, want.length - at));
            }
            assertThat(store.head("reports/r1/discrepancies.csv"))
                    .as("not before completion")
                    .isEmpty();
            upload.complete();
        }
        assertThat(store.get("reports/r1/discrepancies.csv"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(want));
    }

    @Test
    void anEmptyStream_completesToAnEmptyObject() {
        try (ObjectStore.Upload upload = store.upload("reports/r2/rejected_rows.csv", "text/csv")) {
            upload.complete();
        }
        assertThat(store.get("reports/r2/rejected_rows.csv"))
                .hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void anAbort_leavesNothing_evenWithAPartSent() throws Exception {
        try (ObjectStore.Upload upload = store.upload("reports/r3/discrepancies.csv", "text/csv")) {
            upload.stream().write(bytes((8 << 20) + 1, 2));
            upload.abort();
        }
        assertThat(store.head("reports/r3/discrepancies.csv")).isEmpty();
        assertThat(aws.s3()
                        .listMultipartUploads(b -> b.bucket(BUCKET).prefix("reports/r3/"))
                        .uploads())
                .isEmpty();
    }

    @Test
    void aPartThatFailed_failsTheCompletion_andTheObjectNeverAppears() throws Exception {
        ObjectStore.Upload upload = store.upload("reports/r4/discrepancies.csv", "text/csv");
        OutputStream out = upload.stream();
        out.write(bytes(8 << 20, 3)); // part 1 goes out
        // The upload disappears behind the writer's back (as after an outage): the next part cannot land.
        String id = aws.s3()
                .listMultipartUploads(b -> b.bucket(BUCKET).prefix("reports/r4/"))
                .uploads()
                .get(0)
                .uploadId();
        aws.s3()
                .abortMultipartUpload(b ->
                        b.bucket(BUCKET).key("reports/r4/discrepancies.csv").uploadId(id));
        assertThatThrownBy(() -> {
                    out.write(bytes(8 << 20, 4)); // part 2 is sent while part 3 fills
                    out.write(bytes(8 << 20, 5));
                    upload.complete();
                })
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(upload::complete).as("a failed upload stays failed").isInstanceOf(RuntimeException.class);
        upload.close();
        assertThat(store.head("reports/r4/discrepancies.csv")).isEmpty();
    }
}
