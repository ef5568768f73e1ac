package io.tally.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.core.ByteSource;
import io.tally.core.Engine;
import io.tally.core.Layout;
import io.tally.core.LocalRun;
import io.tally.core.RangePlan;
import io.tally.core.ReportWriter;
import io.tally.core.Tracker;
import io.tally.core.sample.SampleGenerator;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Glue job on S3: executors read their ranges with ranged GETs pinned to the manifest's ETags (never a
 * whole tracker), the reports land in {@code reports/{runId}/} byte-identical to {@code tally reconcile}'s, and
 * a tracker replaced mid-job fails the job with a clear reason.
 */
class ReconcileJobTest {
    private static SparkSession spark;
    private static MiniS3 s3;
    private static SampleGenerator.Written data;
    private static Path reference;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder()
                .appName("tally-test")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        s3 = new MiniS3();
        data = new SampleGenerator(new SampleGenerator.Options(30_000, 8, true)).write(tmp.resolve("data"));
        reference = tmp.resolve("reference");
        LocalRun.run(data.purchase(), data.inventory(), reference, LocalRun.Options.defaults(), Engine.Progress.NONE);
    }

    @AfterAll
    static void stop() {
        s3.close();
        spark.stop();
    }

    /** Uploads the pair under {@code prefix} and writes a GLUE-tier manifest for it; returns the run id. */
    private static String plan(String runId, long rangeBytes) throws Exception {
        byte[] p = Files.readAllBytes(data.purchase());
        byte[] i = Files.readAllBytes(data.inventory());
        String pKey = "incoming/purchase/" + runId + "/purchase.csv";
        String iKey = "incoming/inventory/" + runId + "/inventory.csv";
        String pEtag = s3.put("bucket/" + pKey, p);
        String iEtag = s3.put("bucket/" + iKey, i);
        RangePlan plan = RangePlan.cut(
                Layout.detect(ByteSource.of("purchase.csv", p), Tracker.PURCHASE),
                Layout.detect(ByteSource.of("inventory.csv", i), Tracker.INVENTORY),
                rangeBytes);
        Manifest m = new Manifest(
                Manifest.VERSION,
                runId,
                "2026-11-29T06:00:00Z",
                Tier.GLUE,
                "0.5",
                "2.0",
                "day-first",
                List.of(
                        new Manifest.Source(Tracker.PURCHASE, pKey, pEtag, p.length, "2026-11-29T05:00:00Z"),
                        new Manifest.Source(Tracker.INVENTORY, iKey, iEtag, i.length, "2026-11-29T05:00:00Z")),
                plan);
        s3.put("bucket/" + RunKeys.manifest(runId), new ObjectMapper().writeValueAsBytes(m));
        return runId;
    }

    private static Map<String, String> args(String runId) {
        return Map.of(
                "bucket",
                "bucket",
                "run-id",
                runId,
                "s3-endpoint",
                s3.endpoint(),
                "region",
                "eu-west-1",
                "access-key",
                "test",
                "secret-key",
                "test");
    }

    @Test
    void theJob_readsRangesFromS3_andWritesTheReconcileReports() throws Exception {
        String runId = plan("run-ok", 64 << 10);
        s3.gets.clear();
        ReconcileJob.run(args(runId), spark);
        for (String f : ReportWriter.SAME_ON_EVERY_PATH) {
            assertThat(new String(s3.get("bucket/" + RunKeys.reports(runId) + f), StandardCharsets.UTF_8))
                    .as(f)
                    .isEqualTo(Files.readString(reference.resolve(f)));
        }
        assertThat(new String(
                        s3.get("bucket/" + RunKeys.reports(runId) + ReportWriter.SUMMARY), StandardCharsets.UTF_8))
                .contains("\"executor\" : \"glue\"")
                .contains("\"etag\"");
        assertThat(s3.gets)
                .filteredOn(g -> g[0].startsWith("bucket/incoming/"))
                .as("every read of a tracker is a ranged GET")
                .isNotEmpty()
                .allMatch(g -> !g[1].isEmpty());
        Manifest m = new ObjectMapper().readValue(s3.get("bucket/" + RunKeys.manifest(runId)), Manifest.class);
        assertThat(m.plan().workOrder()).hasSizeGreaterThan(4);
        assertThat(s3.count("bucket/" + RunKeys.partials(runId)))
                .as("each range's partial came back through S3, not through Spark's result channel")
                .isEqualTo(m.plan().workOrder().size());
    }

    @Test
    void theReports_areMultipartUploads_notOnePutObjectEach_summaryCompletingLast() throws Exception {
        String runId = plan("run-multipart", 64 << 10);
        s3.writes.clear();
        ReconcileJob.run(args(runId), spark);
        String prefix = "bucket/" + RunKeys.reports(runId);
        List<String> reportWrites =
                s3.writes.stream().filter(w -> w.contains(prefix)).toList();
        // One PutObject holds at most 5 GB: a report of a huge run would be refused.
        assertThat(reportWrites)
                .noneMatch(w -> w.startsWith("PutObject"))
                .containsExactlyElementsOf(ReportWriter.FILES.stream()
                        .map(f -> "CompleteMultipartUpload " + prefix + f)
                        .toList());
        assertThat(s3.openUploads()).isZero();
    }

    @Test
    void aTrackerReplacedMidJob_failsTheJob_withAClearReason() throws Exception {
        String runId = plan("run-replaced", 32 << 10);
        s3.replaceKey = "bucket/incoming/purchase/run-replaced/purchase.csv";
        s3.replaceAfter.set(3);
        try {
            assertThatThrownBy(() -> ReconcileJob.run(args(runId), spark))
                    .hasStackTraceContaining(
                            "incoming/purchase/run-replaced/purchase.csv was replaced or deleted while the run "
                                    + "was reading it");
        } finally {
            s3.replaceKey = null;
        }
        assertThat(s3.get("bucket/" + RunKeys.reports(runId) + ReportWriter.SUMMARY))
                .isNull();
    }
}
