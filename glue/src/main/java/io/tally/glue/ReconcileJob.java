package io.tally.glue;

import io.tally.core.InputFault;
import io.tally.core.Invoices;
import io.tally.core.Reconcile;
import io.tally.core.ReportWriter;
import io.tally.core.RunInfo;
import io.tally.core.Tracker;
import io.tally.core.TrackerTotals;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ObjectStore;
import io.tally.storage.run.Manifest;
import io.tally.storage.run.RunKeys;
import io.tally.storage.run.RunLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The Glue job: {@code --bucket B --run-id R} (and, for tests, {@code --s3-endpoint --region --access-key
 * --secret-key}). It reads {@code runs/R/manifest.json}, runs {@link ReconcileTransform} with executors reading
 * their ranges straight from S3 (ranged GETs pinned to the manifest's ETags), and writes the reports to
 * {@code reports/R/}, {@code summary.json} last. Executors leave each range's partial in {@code runs/R/partials/},
 * where the driver reads them back in order. The "Glue Job State Change" handler then publishes them.
 */
public final class ReconcileJob {
    private ReconcileJob() {}

    /** Glue's entry (through {@code GlueApp}): throws, so Glue marks the job run FAILED with the reason. */
    public static void main(String[] args) {
        try {
            run(
                    JobArgs.parse(args),
                    SparkSession.builder().appName("tally-reconcile").getOrCreate());
        } catch (InputFault e) {
            // Glue reports only the text: marked, so the state handler fails the run as the input's fault.
            throw new IllegalStateException(InputFault.MARK + e.getMessage(), e);
        }
    }

    /** Runs the job on {@code spark}; returns the run id. */
    public static String run(Map<String, String> args, SparkSession spark) {
        String bucket = JobArgs.required(args, "bucket");
        String runId = JobArgs.required(args, "run-id");
        Optional<String> endpoint = Optional.ofNullable(args.get("s3-endpoint"));
        String region = args.getOrDefault(
                "region", Optional.ofNullable(System.getenv("AWS_REGION")).orElse("eu-west-1"));
        Optional<String> access = Optional.ofNullable(args.get("access-key"));
        Optional<String> secret = Optional.ofNullable(args.get("secret-key"));
        S3Endpoint s3 = new S3Endpoint(endpoint.orElse(null), region, access.orElse(null), secret.orElse(null));
        ObjectStore store = new S3ObjectStore(s3.client(), bucket);
        Manifest manifest = new RunLedger(store, "glue", RunLedger.Events.NONE)
                .findManifest(runId)
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has no manifest in s3://" + bucket));
        Map<Tracker, TrackerBytes> sources = new EnumMap<>(Tracker.class);
        for (Tracker t : Tracker.values()) {
            Manifest.Source s = manifest.source(t);
            sources.put(t, new TrackerBytes.S3Object(s3, bucket, s.key(), s.etag(), s.size()));
        }
        PartialShelf.S3Run shelf = new PartialShelf.S3Run(s3, bucket, runId);
        Reconcile run = new Reconcile(manifest.order());
        Map<Tracker, TrackerTotals> totals = ReconcileTransform.apply(spark, manifest.plan(), sources, run, shelf);
        RunInfo info = new RunInfo(
                runId,
                input(bucket, manifest.source(Tracker.PURCHASE)),
                input(bucket, manifest.source(Tracker.INVENTORY)),
                manifest.tolerances(),
                manifest.order(),
                Instant.parse(manifest.createdAt()),
                "glue");
        try (Invoices invoices =
                ReconcileTransform.invoices(spark, totals, sources, run, manifest.tolerances(), shelf)) {
            writeReports(store, runId, totals, invoices, info);
        }
        return runId;
    }

    private static RunInfo.InputFile input(String bucket, Manifest.Source s) {
        return new RunInfo.InputFile("s3://" + bucket + "/" + s.key(), s.size(), "", s.etag());
    }

    /**
     * The reports to {@code reports/{runId}/}, each streamed as a multipart upload while it is rendered (one
     * PutObject holds at most 5 GB, and a report of a huge run can be larger); summary.json completes last, so
     * its presence says the set is whole. What did not complete is aborted and leaves nothing.
     */
    private static void writeReports(
            ObjectStore store, String runId, Map<Tracker, TrackerTotals> totals, Invoices invoices, RunInfo info) {
        Map<String, ObjectStore.Upload> uploads = new LinkedHashMap<>();
        try {
            ReportWriter.write(
                    name -> {
                        ObjectStore.Upload upload =
                                store.upload(RunKeys.reports(runId) + name, ReportWriter.contentType(name));
                        uploads.put(name, upload);
                        return upload.stream();
                    },
                    totals.get(Tracker.PURCHASE),
                    totals.get(Tracker.INVENTORY),
                    invoices,
                    info);
            for (String name : ReportWriter.FILES) {
                uploads.remove(name).complete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            uploads.values().forEach(ObjectStore.Upload::abort);
        }
    }
}
