package io.tally.glue;

import io.tally.core.RangePlan;
import io.tally.core.Tracker;
import io.tally.storage.S3ObjectStore;
import io.tally.storage.run.RunKeys;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where executors leave each range's encoded partial for the driver, so that no partial travels back through
 * Spark's result channel: the driver's memory then holds the merged totals and the two partials being merged,
 * not every range's partial at once, and {@code spark.driver.maxResultSize} is never reached however large the
 * run. A serializable value Spark ships to executors.
 */
public sealed interface PartialShelf extends Serializable {
    void put(RangePlan.Range range, byte[] encoded);

    /** The range's partial, or an error naming the range if no executor left it. */
    byte[] get(RangePlan.Range range);

    /** Leaves the sorted invoice lines of span {@code n} of {@code tracker} ({@code invoices.csv}'s second pass). */
    void putInvoices(Tracker tracker, int n, byte[] encoded);

    /** The invoice lines of span {@code n} of {@code tracker}, or an error naming it if no executor left them. */
    byte[] getInvoices(Tracker tracker, int n);

    /** A folder every executor can write (Spark local mode). */
    record LocalDir(String dir) implements PartialShelf {
        @Override
        public void put(RangePlan.Range range, byte[] encoded) {
            Path target = Path.of(dir, range.label() + ".partial");
            try {
                // A unique temporary name: a retried or speculative attempt of the same task may write at once.
                Path part = Files.createTempFile(Path.of(dir), range.label() + ".", ".part");
                Files.write(part, encoded);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("the partial of range " + range.label() + " cannot be written", e);
            }
        }

        @Override
        public void putInvoices(Tracker tracker, int n, byte[] encoded) {
            String name = "invoices-" + tracker.label() + "-" + n;
            try {
                Path part = Files.createTempFile(Path.of(dir), name + ".", ".part");
                Files.write(part, encoded);
                Files.move(
                        part,
                        Path.of(dir, name + ".run"),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("the invoice lines of " + name + " cannot be written", e);
            }
        }

        @Override
        public byte[] getInvoices(Tracker tracker, int n) {
            String name = "invoices-" + tracker.label() + "-" + n;
            try {
                return Files.readAllBytes(Path.of(dir, name + ".run"));
            } catch (NoSuchFileException e) {
                throw new IllegalStateException(name + " is missing: no executor finished it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] get(RangePlan.Range range) {
            try {
                return Files.readAllBytes(Path.of(dir, range.label() + ".partial"));
            } catch (NoSuchFileException e) {
                throw new IllegalStateException("range " + range.label() + " has no partial: no executor finished it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The run's partials folder in S3, {@code runs/{runId}/partials/}, where the chunk workers put theirs. */
    record S3Run(S3Endpoint s3, String bucket, String runId) implements PartialShelf {
        @Override
        public void put(RangePlan.Range range, byte[] encoded) {
            new S3ObjectStore(s3.client(), bucket)
                    .put(RunKeys.partial(runId, range), encoded, "application/octet-stream");
        }

        @Override
        public void putInvoices(Tracker tracker, int n, byte[] encoded) {
            new S3ObjectStore(s3.client(), bucket)
                    .put(RunKeys.invoicePart(runId, tracker, n), encoded, "application/octet-stream");
        }

        @Override
        public byte[] getInvoices(Tracker tracker, int n) {
            return new S3ObjectStore(s3.client(), bucket)
                    .get(RunKeys.invoicePart(runId, tracker, n))
                    .orElseThrow(() -> new IllegalStateException(RunKeys.invoicePart(runId, tracker, n)
                            + " is missing in s3://" + bucket + ": no executor finished it"));
        }

        @Override
        public byte[] get(RangePlan.Range range) {
            return new S3ObjectStore(s3.client(), bucket)
                    .get(RunKeys.partial(runId, range))
                    .orElseThrow(() -> new IllegalStateException("range " + range.label() + " of run " + runId
                            + " has no partial in s3://" + bucket + ": no executor finished it"));
        }
    }
}
