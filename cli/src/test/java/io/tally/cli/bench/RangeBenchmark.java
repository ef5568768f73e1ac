package io.tally.cli.bench;

import io.tally.cli.local.EmbeddedAws;
import io.tally.core.ByteSource;
import io.tally.core.DateOrder;
import io.tally.core.Layout;
import io.tally.core.Partial;
import io.tally.core.PartialCodec;
import io.tally.core.RangeReader;
import io.tally.core.Reconcile;
import io.tally.core.Tracker;
import io.tally.storage.ObjectStore;
import io.tally.storage.S3ByteSource;
import io.tally.storage.S3ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One chunk worker on one thread over one 64 MiB range: the figure that sets the Lambda cost. Measured
 * on a local file (pure CPU) and through the embedded S3 with a ranged GET (the worker's real path),
 * best of five after a warm-up. Argument: a purchase tracker of at least 64 MiB.
 */
public final class RangeBenchmark {
    private static final long RANGE = 64L << 20;

    private RangeBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "bench-data/rows-10000000/purchase.csv");
        Path work = Files.createTempDirectory("tally-range-bench-");
        Path head = work.resolve("purchase.csv");
        try (InputStream in = Files.newInputStream(file);
                OutputStream out = Files.newOutputStream(head)) {
            byte[] buf = new byte[1 << 20];
            long want = RANGE + (4L << 20);
            for (long copied = 0; copied < want; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, want - copied));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                copied += n;
            }
        }
        ByteSource local = ByteSource.of(head);
        Layout layout = Layout.detect(local, Tracker.PURCHASE);
        long end = layout.dataStart() + RANGE;
        System.out.printf(Locale.ROOT, "one range: bytes %d-%d of %s%n", layout.dataStart(), end, file);
        report("local file", best(new Reconcile(DateOrder.DAY_FIRST).reader(layout, local), layout, end));

        try (EmbeddedAws aws = EmbeddedAws.start(work.resolve("s3"))) {
            aws.createBucket("bench-bucket");
            String etag = aws.s3()
                    .putObject(b -> b.bucket("bench-bucket").key("purchase.csv"), RequestBody.fromFile(head))
                    .eTag();
            ObjectStore store = new S3ObjectStore(aws.s3(), "bench-bucket");
            S3ByteSource s3 = new S3ByteSource(store, "purchase.csv", etag, Files.size(head));
            report(
                    "embedded S3 (ranged GET, If-Match)",
                    best(new Reconcile(DateOrder.DAY_FIRST).reader(layout, s3), layout, end));
        }
    }

    private static double best(RangeReader reader, Layout layout, long end) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            Partial p = reader.read(layout.dataStart(), end, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PartialCodec.write(p, out);
            double s = (System.nanoTime() - t0) / 1e9;
            if (i > 0) {
                best = Math.min(best, s);
            }
        }
        return best;
    }

    private static void report(String what, double seconds) {
        System.out.printf(
                Locale.ROOT,
                "%-36s %.3f s  %.0f MB/s (one thread, partial encoded)%n",
                what,
                seconds,
                RANGE / 1e6 / seconds);
    }
}
