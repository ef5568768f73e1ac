package io.tally.core;

import io.tally.core.internal.Futures;
import io.tally.core.internal.Numbers;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes the CSV reports of one reconciliation: streams the {@link KeyJoin}'s results through the
 * {@link CsvRenderer} into {@code discrepancies.csv}, rolls them up per officer into {@code officers.csv},
 * and writes {@code rejected_rows.csv}. Nothing per key is kept but the per-officer roll-up.
 */
public final class Reconciler {
    private final TrackerTotals purchase;
    private final TrackerTotals inventory;
    private final Tolerances tolerances;

    public Reconciler(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        this.purchase = purchase;
        this.inventory = inventory;
        this.tolerances = tolerances;
    }

    /** Keys of one discrepancies chunk: a couple of megabytes of text. */
    private static final int CHUNK_KEYS = 16_384;

    /** One chunk of {@code discrepancies.csv}, rendered. */
    private record Rendered(String text, long[] keysByStatus) {}

    /**
     * Writes {@code discrepancies.csv} and {@code officers.csv} and returns what they hold. The discrepancies
     * are rendered in chunks of the join on every core and written in report order, a few chunks ahead at most;
     * the officers follow a copy of the join grouped by officer on a thread of their own. Nothing is held per
     * officer, and the output is the same bytes whatever the thread count.
     */
    public Outcome write(Writer discrepancies, Writer officersOut) throws IOException {
        KeyJoin join = new KeyJoin(purchase, inventory, tolerances);
        CsvRenderer csv = CsvRenderer.of(purchase, inventory);
        KeyJoin byOfficer = join.byOfficer();
        ExecutorService second = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tally-officers");
            t.setDaemon(true);
            return t;
        });
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService renderers = Executors.newFixedThreadPool(cores, r -> {
            Thread t = new Thread(r, "tally-render");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<OfficerRollup> officers = second.submit(() -> {
                try {
                    return writeOfficers(byOfficer, csv, officersOut);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long[] counts = new long[Status.values().length];
            discrepancies.write(CsvRenderer.DISCREPANCIES_HEADER);
            discrepancies.write('\n');
            ArrayDeque<Future<Rendered>> ahead = new ArrayDeque<>();
            Iterator<KeyJoin> chunks = join.chunks(CHUNK_KEYS).iterator();
            while (chunks.hasNext() || !ahead.isEmpty()) {
                while (chunks.hasNext() && ahead.size() < 2 * cores) {
                    KeyJoin chunk = chunks.next();
                    ahead.add(renderers.submit(() -> render(chunk, CsvRenderer.of(purchase, inventory))));
                }
                if (officers.isDone()) {
                    officers(officers); // an officers.csv that failed stops the run now
                }
                Rendered r = Futures.await(ahead.poll());
                discrepancies.write(r.text());
                for (int s = 0; s < counts.length; s++) {
                    counts[s] += r.keysByStatus()[s];
                }
            }
            EnumMap<Status, Long> byStatus = new EnumMap<>(Status.class);
            for (Status s : Status.values()) {
                byStatus.put(s, counts[s.ordinal()]);
            }
            OfficerRollup rollup = officers(officers);
            return new Outcome(
                    byStatus,
                    rollup.totalBirdDiff(),
                    rollup.totalChickenDiff(),
                    KeyJoin.gizzardCompared(purchase, inventory) ? rollup.totalGizzardDiff() : null,
                    rollup.topLosses(),
                    rollup.topGains(),
                    rollup.dayRange().map(d -> new DateRange(LocalDate.ofEpochDay(d[0]), LocalDate.ofEpochDay(d[1]))));
        } finally {
            renderers.shutdownNow();
            // On a failure here the officers' writer is about to be closed: wait for its thread to stop first.
            second.shutdownNow();
            boolean interrupted = false;
            while (true) {
                try {
                    second.awaitTermination(1, TimeUnit.MINUTES);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The officers' thread's result, its I/O failure thrown as it was. */
    private static OfficerRollup officers(Future<OfficerRollup> officers) throws IOException {
        try {
            return Futures.await(officers);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Rendered render(KeyJoin chunk, CsvRenderer csv) {
        StringBuilder sb = new StringBuilder(CHUNK_KEYS * 128);
        long[] counts = new long[Status.values().length];
        while (chunk.hasNext()) {
            KeyResult r = chunk.next();
            counts[r.status().ordinal()]++;
            csv.appendDiscrepancy(sb, r);
        }
        return new Rendered(sb.toString(), counts);
    }

    private static OfficerRollup writeOfficers(KeyJoin byOfficer, CsvRenderer csv, Writer out) throws IOException {
        StringBuilder line = new StringBuilder(256);
        out.write(CsvRenderer.OFFICERS_HEADER);
        out.write('\n');
        OfficerRollup rollup = new OfficerRollup(byOfficer::officer, 5, officer -> {
            line.setLength(0);
            csv.appendOfficer(line, officer);
            out.write(line.toString());
        });
        while (byOfficer.hasNext()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("stopped writing officers.csv");
            }
            KeyResult r = byOfficer.next();
            rollup.add(byOfficer.officerRank(), r);
        }
        rollup.finish();
        return rollup;
    }

    /** Writes {@code rejected_rows.csv}: inventory rows first, then purchase, each in row order. */
    public static long writeRejected(Writer out, TrackerTotals purchase, TrackerTotals inventory) throws IOException {
        out.write(CsvRenderer.REJECTED_HEADER);
        out.write('\n');
        List<TrackerTotals> sides = rejectedOrder(purchase, inventory);
        StringBuilder sb = new StringBuilder(256);
        long n = 0;
        for (TrackerTotals side : sides) {
            for (RejectedRow r : side.rejected()) {
                sb.setLength(0);
                CsvRenderer.appendRejected(
                        sb, side.layout().tracker(), side.layout().source(), r);
                out.write(sb.toString());
                n++;
            }
        }
        return n;
    }

    /** Both sides in {@code rejected_rows.csv} order: by tracker label ({@code inventory} first), then source. */
    static List<TrackerTotals> rejectedOrder(TrackerTotals purchase, TrackerTotals inventory) {
        List<TrackerTotals> sides = new ArrayList<>(List.of(purchase, inventory));
        sides.sort(
                Comparator.comparing((TrackerTotals t) -> t.layout().tracker().label())
                        .thenComparing(t -> t.layout().source()));
        return sides;
    }

    /**
     * What a reconciliation found, for the summary and the CLI.
     *
     * @param topLosses the officers who lost the most chicken over all days, largest first; losses only
     * @param topGains  the officers whose inventory holds the most chicken over their purchases, largest first
     * @param dates     the first and last date of any key; empty when there is no key
     */
    public record Outcome(
            Map<Status, Long> keysByStatus,
            BigInteger birdDiff,
            BigInteger chickenDiffMilli,
            BigInteger gizzardDiffMilli,
            List<OfficerLoss> topLosses,
            List<OfficerLoss> topGains,
            Optional<DateRange> dates) {

        public long keys() {
            return keysByStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The total chicken loss in kg with exactly 3 decimals. */
        public String chickenDiffKg() {
            return Numbers.milli(chickenDiffMilli);
        }

        public boolean allOk() {
            return keys() == keysByStatus.get(Status.OK);
        }
    }

    /** The first and last date of the run's keys. */
    public record DateRange(LocalDate first, LocalDate last) {}

    /** An officer's total chicken loss (purchase minus inventory) over all days; a gain is negative. */
    public record OfficerLoss(String officer, BigInteger chickenDiffMilli, long keys) {
        /** The loss in kg with exactly 3 decimals, as the reports write it. */
        public String chickenDiffKg() {
            return Numbers.milli(chickenDiffMilli);
        }
    }
}
