package io.tally.core;

import io.tally.core.internal.Futures;
import io.tally.core.internal.Numbers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    /**
     * Writes {@code discrepancies.csv} and {@code officers.csv} and returns what they hold. The discrepancies
     * follow the join in report order on this thread while the officers follow a copy grouped by officer on
     * another, so neither holds anything per officer and the two take the time of the longer.
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
        try {
            Future<OfficerRollup> officers = second.submit(() -> {
                try {
                    return writeOfficers(byOfficer, csv, officersOut);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            EnumMap<Status, Long> byStatus = new EnumMap<>(Status.class);
            for (Status s : Status.values()) {
                byStatus.put(s, 0L);
            }
            StringBuilder line = new StringBuilder(256);
            discrepancies.write(CsvRenderer.DISCREPANCIES_HEADER);
            discrepancies.write('\n');
            while (join.hasNext()) {
                KeyResult r = join.next();
                byStatus.merge(r.status(), 1L, Long::sum);
                line.setLength(0);
                csv.appendDiscrepancy(line, r);
                discrepancies.write(line.toString());
            }
            OfficerRollup rollup;
            try {
                rollup = Futures.await(officers);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return new Outcome(byStatus, rollup.totalBirdDiff(), rollup.totalChickenDiff(),
                    KeyJoin.gizzardCompared(purchase, inventory) ? rollup.totalGizzardDiff() : null,
                    rollup.topLosses());
        } finally {
            // On a failure here the officers' writer is about to be closed: wait for its thread to stop first.
            second.shutdownNow();
            try {
                second.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        List<TrackerTotals> sides = new ArrayList<>(List.of(purchase, inventory));
        sides.sort(Comparator.comparing((TrackerTotals t) -> t.layout().tracker().label())
                .thenComparing(t -> t.layout().source()));
        StringBuilder sb = new StringBuilder(256);
        long n = 0;
        for (TrackerTotals side : sides) {
            for (RejectedRow r : side.rejected()) {
                sb.setLength(0);
                CsvRenderer.appendRejected(sb, side.layout().tracker(), side.layout().source(), r);
                out.write(sb.toString());
                n++;
            }
        }
        return n;
    }

    /** What a reconciliation found, for the summary and the CLI. */
    public record Outcome(Map<Status, Long> keysByStatus, BigInteger birdDiff, BigInteger chickenDiffMilli,
            BigInteger gizzardDiffMilli, List<OfficerLoss> topLosses) {

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

    /** An officer's total chicken loss (purchase minus inventory) over all days. */
    public record OfficerLoss(String officer, BigInteger chickenDiffMilli, long keys) {
        /** The loss in kg with exactly 3 decimals, as the reports write it. */
        public String chickenDiffKg() {
            return Numbers.milli(chickenDiffMilli);
        }
    }
}
