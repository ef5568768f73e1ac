package io.tally.cli.bench;

import io.tally.core.sample.SampleGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times {@code tally reconcile}, DuckDB doing the exact job in SQL ({@link DuckDbJob}) and the machine's floor
 * ({@link FloorJob}: map both files, count newlines on all cores), each as a whole process started cold, in
 * the same run, alternating, {@code bench.runs} rounds (default 3), and prints medians of wall time and CPU
 * seconds, the peak RSS, rows/s, MB/s and the ratios. DuckDB runs twice a round: writing {@code discrepancies.csv}
 * alone, the job as the benchmark first defined it, and writing {@code invoices.csv} too, which Tally's run also
 * writes (its second pass). Each of DuckDB's reports must be byte-identical to Tally's ({@code cmp}), or the
 * benchmark fails. Not a test: run it with
 * {@code scripts/benchmark}.
 *
 * <p>Arguments: {@code [rows] [data-dir]}, default 10,000,000 purchase rows in {@code bench-data/}.
 */
public final class ReconcileBenchmark {
    private ReconcileBenchmark() {}

    /** One process's figures. */
    record Measured(double wall, double cpu, double peakMb) {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Path.of(args.length > 1 ? args[1] : "bench-data").resolve("rows-" + rows);
        int runs = Integer.parseInt(System.getProperty("bench.runs", "3"));
        String classpath = System.getProperty("java.class.path");
        if (!Files.exists(Path.of("tally"))) {
            throw new IllegalStateException("run from the repository root (scripts/benchmark does)");
        }
        Path purchase = dir.resolve(SampleGenerator.PURCHASE_FILE);
        Path inventory = dir.resolve(SampleGenerator.INVENTORY_FILE);
        if (!Files.exists(inventory)) {
            long t0 = System.nanoTime();
            SampleGenerator.Written w = new SampleGenerator(new SampleGenerator.Options(rows, 42, false)).write(dir);
            System.out.printf(
                    Locale.ROOT,
                    "generated %,d + %,d rows in %.1f s%n",
                    w.purchaseRows(),
                    w.inventoryRows(),
                    (System.nanoTime() - t0) / 1e9);
        }
        long bytes = Files.size(purchase) + Files.size(inventory);
        long totalRows = lines(purchase) + lines(inventory) - 2;
        System.out.printf(
                Locale.ROOT,
                "input: %,d rows, %,.1f MB, %d cores; %d rounds, each engine a cold process%n",
                totalRows,
                bytes / 1e6,
                Runtime.getRuntime().availableProcessors(),
                runs);
        Path tallyOut = dir.resolve("tally-out");
        Path duckOut = dir.resolve("duckdb-discrepancies.csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> tallyCmd = List.of(
                "./tally",
                "reconcile",
                "--purchase",
                purchase.toString(),
                "--inventory",
                inventory.toString(),
                "--out",
                tallyOut.toString(),
                "--quiet");
        List<String> duckCmd = List.of(
                java,
                "-Xmx8g",
                "-cp",
                classpath,
                DuckDbJob.class.getName(),
                purchase.toString(),
                inventory.toString(),
                duckOut.toString());
        // DuckDB doing what Tally's run does for both reports it can check: discrepancies.csv and invoices.csv.
        Path duckAllOut = dir.resolve("duckdb-all-discrepancies.csv");
        Path duckInvoices = dir.resolve("duckdb-invoices.csv");
        List<String> duckAllCmd = new ArrayList<>(duckCmd);
        duckAllCmd.set(duckAllCmd.size() - 1, duckAllOut.toString());
        duckAllCmd.add(duckInvoices.toString());
        List<String> floorCmd =
                List.of(java, "-cp", classpath, FloorJob.class.getName(), purchase.toString(), inventory.toString());
        List<Measured> tally = new ArrayList<>();
        List<Measured> duck = new ArrayList<>();
        List<Measured> duckAll = new ArrayList<>();
        List<Measured> floor = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            report("tally", r, tally, run(tallyCmd));
            report("duckdb", r, duck, run(duckCmd));
            report("duckdb+inv", r, duckAll, run(duckAllCmd));
            report("floor", r, floor, run(floorCmd));
        }
        Path tallyCsv = tallyOut.resolve("discrepancies.csv");
        same(tallyCsv, duckOut);
        same(tallyCsv, duckAllOut);
        same(tallyOut.resolve("invoices.csv"), duckInvoices);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-10s %9s %9s %14s %8s %12s%n",
                "engine",
                "median s",
                "CPU s",
                "rows/s",
                "MB/s",
                "peak RSS MB");
        Measured t = median(tally);
        Measured d = median(duck);
        Measured da = median(duckAll);
        Measured f = median(floor);
        for (Object[] e : List.of(
                new Object[] {"tally", t}, new Object[] {"duckdb", d}, new Object[] {"duckdb+inv", da}, new Object[] {
                    "floor", f
                })) {
            Measured m = (Measured) e[1];
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %9.2f %9.1f %,14.0f %8.0f %12.0f%n",
                    e[0],
                    m.wall(),
                    m.cpu(),
                    totalRows / m.wall(),
                    bytes / 1e6 / m.wall(),
                    m.peakMb());
        }
        System.out.printf(
                Locale.ROOT,
                "tally is %.2fx the speed of duckdb (target: at least 5x), %.1fx the floor's "
                        + "time (target: within 8x), peak RSS %.0f MB (target: at most 400 MB); %.2f us of CPU a row%n",
                d.wall() / t.wall(),
                t.wall() / f.wall(),
                t.peakMb(),
                t.cpu() / totalRows * 1e6);
        System.out.printf(
                Locale.ROOT,
                "against duckdb writing invoices.csv too (the same two reports): tally is %.2fx its speed%n",
                da.wall() / t.wall());
        // On a machine shared with other work, wall times stretch with the load of the moment; CPU seconds less so.
        System.out.printf(
                Locale.ROOT,
                "by CPU seconds: duckdb takes %.2fx tally's (%.2fx writing invoices.csv too), tally %.1fx the floor's%n",
                d.cpu() / t.cpu(),
                da.cpu() / t.cpu(),
                t.cpu() / f.cpu());
    }

    /** Fails the benchmark unless DuckDB's report is byte-identical to Tally's: else the figures compare other work. */
    private static void same(Path tallys, Path duckdbs) throws Exception {
        boolean same = Arrays.equals(Files.readAllBytes(tallys), Files.readAllBytes(duckdbs));
        Process cmp = new ProcessBuilder("cmp", tallys.toString(), duckdbs.toString())
                .inheritIO()
                .start();
        if (cmp.waitFor() != 0 || !same) {
            System.out.println("FAILED: DuckDB's " + duckdbs.getFileName() + " differs from Tally's "
                    + tallys.getFileName() + " (cmp above); the figures below would compare different work");
            System.exit(1);
        }
        System.out.println(
                "cmp: DuckDB's " + duckdbs.getFileName() + " is byte-identical to Tally's " + tallys.getFileName());
    }

    private static void report(String name, int round, List<Measured> into, Measured m) {
        into.add(m);
        System.out.printf(
                Locale.ROOT,
                "%-6s run %d: %.2f s wall, %.1f CPU-s, peak RSS %.0f MB%n",
                name,
                round,
                m.wall(),
                m.cpu(),
                m.peakMb());
    }

    /** The median wall and CPU time; the largest peak RSS. */
    static Measured median(List<Measured> ms) {
        double[] w = ms.stream().mapToDouble(Measured::wall).sorted().toArray();
        double[] c = ms.stream().mapToDouble(Measured::cpu).sorted().toArray();
        return new Measured(
                w[w.length / 2],
                c[c.length / 2],
                ms.stream().mapToDouble(Measured::peakMb).max().orElse(0));
    }

    /**
     * Runs {@code cmd} under GNU time, which reports the child's user and system CPU and its maximum resident
     * set; the launcher execs its JVM, so these are the JVM's.
     */
    static Measured run(List<String> cmd) throws Exception {
        Path times = Files.createTempFile("tally-bench-", ".time");
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-o", times.toString(), "-f", "%U %S %M"));
        full.addAll(cmd);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        int exit = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        String[] f = Files.readString(times).trim().split("\\s+");
        Files.delete(times);
        if (exit != 0) {
            throw new IllegalStateException(cmd.get(0) + " " + cmd.get(cmd.size() > 3 ? 3 : 0) + " exited " + exit);
        }
        String[] last = f.length >= 3 ? Arrays.copyOfRange(f, f.length - 3, f.length) : f;
        return new Measured(
                wall, Double.parseDouble(last[0]) + Double.parseDouble(last[1]), Long.parseLong(last[2]) / 1024.0);
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
