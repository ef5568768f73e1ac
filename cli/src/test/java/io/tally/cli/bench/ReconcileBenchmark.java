package io.tally.cli.bench;

import io.tally.core.sample.SampleGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times {@code tally reconcile} (a child process, as users run it, with its peak RSS) against DuckDB doing
 * the same job in SQL on the same files, and prints rows/s, MB/s, peak RSS and the ratio. Not a test:
 * run it with {@code scripts/benchmark}.
 *
 * <p>Arguments: {@code [rows] [data-dir]}, default 10,000,000 purchase rows in {@code bench-data/}.
 */
public final class ReconcileBenchmark {
    private ReconcileBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Path.of(args.length > 1 ? args[1] : "bench-data").resolve("rows-" + rows);
        int runs = Integer.parseInt(System.getProperty("bench.runs", "3"));
        if (!Files.exists(Path.of("tally"))) {
            throw new IllegalStateException("run from the repository root (scripts/benchmark does)");
        }
        Path purchase = dir.resolve(SampleGenerator.PURCHASE_FILE);
        Path inventory = dir.resolve(SampleGenerator.INVENTORY_FILE);
        if (!Files.exists(inventory)) {
            long t0 = System.nanoTime();
            SampleGenerator.Written w = new SampleGenerator(new SampleGenerator.Options(rows, 42, false)).write(dir);
            System.out.printf(Locale.ROOT, "generated %,d + %,d rows in %.1f s%n", w.purchaseRows(),
                    w.inventoryRows(), (System.nanoTime() - t0) / 1e9);
        }
        long bytes = Files.size(purchase) + Files.size(inventory);
        long totalRows = lines(purchase) + lines(inventory) - 2;
        System.out.printf(Locale.ROOT, "input: %,d rows, %,.1f MB, %d cores%n", totalRows, bytes / 1e6,
                Runtime.getRuntime().availableProcessors());

        List<double[]> tally = new ArrayList<>();
        List<double[]> tallyNoDigest = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            tally.add(runTally(purchase, inventory, dir.resolve("tally-out"), List.of()));
            System.out.printf(Locale.ROOT, "tally  run %d: %.2f s, peak RSS %.0f MB%n", r + 1, tally.get(r)[0],
                    tally.get(r)[1]);
            tallyNoDigest.add(runTally(purchase, inventory, dir.resolve("tally-out"), List.of("--no-digest")));
            System.out.printf(Locale.ROOT, "tally --no-digest run %d: %.2f s, peak RSS %.0f MB%n", r + 1,
                    tallyNoDigest.get(r)[0], tallyNoDigest.get(r)[1]);
        }
        List<Double> duck = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            duck.add(runDuckDb(purchase, inventory, dir.resolve("duckdb-out.csv")));
            System.out.printf(Locale.ROOT, "duckdb run %d: %.2f s%n", r + 1, duck.get(r));
        }
        double t = tally.stream().mapToDouble(x -> x[0]).min().orElseThrow();
        double rss = tally.stream().mapToDouble(x -> x[1]).max().orElseThrow();
        double tn = tallyNoDigest.stream().mapToDouble(x -> x[0]).min().orElseThrow();
        double rssn = tallyNoDigest.stream().mapToDouble(x -> x[1]).max().orElseThrow();
        double d = duck.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-8s %9s %14s %10s %12s%n", "engine", "best s", "rows/s", "MB/s", "peak RSS MB");
        System.out.printf(Locale.ROOT, "%-8s %9.2f %,14.0f %10.0f %12.0f%n", "tally", t, totalRows / t, bytes / 1e6 / t, rss);
        System.out.printf(Locale.ROOT, "%-8s %9.2f %,14.0f %10.0f %12.0f   (--no-digest: no SHA-256 pass)%n",
                "tally-nd", tn, totalRows / tn, bytes / 1e6 / tn, rssn);
        System.out.printf(Locale.ROOT, "%-8s %9.2f %,14.0f %10.0f %12s%n", "duckdb", d, totalRows / d, bytes / 1e6 / d, "-");
        System.out.printf(Locale.ROOT, "tally is %.2fx the speed of duckdb (%.2fx with --no-digest; target: 4x); "
                + "peak RSS %.0f MB (target: < 400 MB)%n", d / t, d / tn, Math.max(rss, rssn));
    }

    /** Runs the jar as users do; returns {seconds, peak RSS in MB} (VmHWM polled from /proc). */
    static double[] runTally(Path purchase, Path inventory, Path out, List<String> extra) throws Exception {
        // The launcher users run; it execs the JVM, so the pid below is the JVM's.
        List<String> cmd = new ArrayList<>(List.of("./tally", "reconcile", "--purchase", purchase.toString(),
                "--inventory", inventory.toString(), "--out", out.toString(), "--quiet"));
        cmd.addAll(extra);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long peakKb = 0;
        Path status = Path.of("/proc/" + p.pid() + "/status");
        while (p.isAlive()) {
            peakKb = Math.max(peakKb, hwmKb(status));
            Thread.sleep(5);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("tally exited " + p.exitValue());
        }
        return new double[] {secs, peakKb / 1024.0};
    }

    private static long hwmKb(Path status) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between the check and the read
        }
        return 0;
    }

    /** The same job in SQL: read, group per side, full outer join, status with DECIMAL(18,3). */
    static double runDuckDb(Path purchase, Path inventory, Path out) throws Exception {
        Class.forName("org.duckdb.DuckDBDriver");
        String sql = """
            COPY (
              WITH p AS (
                SELECT "DATE" AS d, upper(trim("PURCHASE OFFICER NAME")) AS o,
                       sum("NUMBER OF BIRDS") AS b, sum("PURCHASED CHICKEN WEIGHT") AS c,
                       sum("PURCHASED GIZZARD WEIGHT") AS g, count(DISTINCT "INVOICE NUMBER") AS inv
                FROM read_csv('%s', header = true, columns = {
                  'DATE': 'DATE', 'PURCHASE OFFICER NAME': 'VARCHAR', 'INVOICE NUMBER': 'VARCHAR',
                  'NUMBER OF BIRDS': 'BIGINT', 'PURCHASED CHICKEN WEIGHT': 'DECIMAL(18,3)',
                  'PURCHASED GIZZARD WEIGHT': 'DECIMAL(18,3)', 'FARMER NAME': 'VARCHAR',
                  'FARM LOCATION': 'VARCHAR', 'PRICE PER KG': 'VARCHAR'})
                GROUP BY ALL),
              i AS (
                SELECT "DATE" AS d, upper(trim("PURCHASE OFFICER NAME")) AS o,
                       sum("NUMBER OF BIRDS") AS b, sum("INVENTORY CHICKEN WEIGHT") AS c,
                       sum("INVENTORY GIZZARD WEIGHT") AS g
                FROM read_csv('%s', header = true, columns = {
                  'DATE': 'DATE', 'PURCHASE OFFICER NAME': 'VARCHAR', 'INVOICE NUMBER': 'VARCHAR',
                  'NUMBER OF BIRDS': 'BIGINT', 'INVENTORY CHICKEN WEIGHT': 'DECIMAL(18,3)',
                  'INVENTORY GIZZARD WEIGHT': 'DECIMAL(18,3)', 'STORE': 'VARCHAR', 'RECEIVED BY': 'VARCHAR'})
                GROUP BY ALL)
              SELECT coalesce(p.d, i.d) AS date, coalesce(p.o, i.o) AS officer,
                     coalesce(p.b, 0) AS purchase_birds, coalesce(i.b, 0) AS inventory_birds,
                     coalesce(p.b, 0) - coalesce(i.b, 0) AS bird_diff,
                     coalesce(p.c, 0)::DECIMAL(18,3) AS purchase_chicken_kg,
                     coalesce(i.c, 0)::DECIMAL(18,3) AS inventory_chicken_kg,
                     (coalesce(p.c, 0) - coalesce(i.c, 0))::DECIMAL(18,3) AS chicken_diff_kg,
                     CASE WHEN coalesce(p.c, 0) = 0 THEN NULL
                          ELSE round((coalesce(p.c, 0) - coalesce(i.c, 0)) * 100 / p.c, 2) END AS chicken_diff_pct,
                     coalesce(p.g, 0)::DECIMAL(18,3) AS purchase_gizzard_kg,
                     coalesce(i.g, 0)::DECIMAL(18,3) AS inventory_gizzard_kg,
                     (coalesce(p.g, 0) - coalesce(i.g, 0))::DECIMAL(18,3) AS gizzard_diff_kg,
                     coalesce(p.inv, 0) AS purchase_invoices,
                     CASE WHEN i.d IS NULL THEN 'MISSING_INVENTORY'
                          WHEN p.d IS NULL THEN 'MISSING_PURCHASE'
                          WHEN p.b <> i.b
                            OR abs(p.c - i.c) > greatest(0.5::DECIMAL(18,3), p.c * 0.02)
                            OR abs(p.g - i.g) > greatest(0.5::DECIMAL(18,3), p.g * 0.02)
                          THEN 'DISCREPANCY' ELSE 'OK' END AS status
              FROM p FULL OUTER JOIN i ON p.d = i.d AND p.o = i.o
              ORDER BY 1, 2
            ) TO '%s' (HEADER, DELIMITER ',')
            """.formatted(purchase.toAbsolutePath(), inventory.toAbsolutePath(), out.toAbsolutePath());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            s.execute(sql);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static long lines(Path file) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
