package io.tally.core;

import io.tally.core.internal.Futures;
import io.tally.core.internal.JsonText;
import io.tally.core.internal.Numbers;
import io.tally.core.internal.Prefetch;
import io.tally.core.internal.Utf8Writer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.FutureTask;

/**
 * Writes a run's reports: {@code discrepancies.csv}, {@code rejected_rows.csv}, {@code officers.csv},
 * {@code findings.csv}, {@code invoices.csv}, {@code summary.md} and {@code summary.json}. They go to a {@link Sink}; {@link #toDirectory}
 * writes them into a hidden temporary folder and moves each into place only once all are complete.
 */
public final class ReportWriter {
    public static final String DISCREPANCIES = Report.DISCREPANCIES.fileName();
    public static final String REJECTED = Report.REJECTED.fileName();
    public static final String OFFICERS = Report.OFFICERS.fileName();
    public static final String FINDINGS = Report.FINDINGS.fileName();
    public static final String INVOICES = Report.INVOICES.fileName();
    public static final String SUMMARY = "summary.json";
    /** The summary a person reads ({@link SummaryReport}); the CLI prints it too. */
    public static final String SUMMARY_MD = "summary.md";
    /**
     * The report files; summary.json is written last, so its presence says the set is whole ({@code invoices.csv} is
     * written beside the first four, on a thread of its own).
     */
    public static final List<String> FILES =
            List.of(DISCREPANCIES, REJECTED, OFFICERS, FINDINGS, INVOICES, SUMMARY_MD, SUMMARY);
    /**
     * The reports every path writes to the same bytes for the same inputs: all but {@code summary.json}, which names
     * the run's executor and timing.
     */
    public static final List<String> SAME_ON_EVERY_PATH =
            FILES.stream().filter(f -> !f.equals(SUMMARY)).toList();

    /** The media type a report file is stored with (on S3): JSON, Markdown or CSV, each UTF-8. */
    public static String contentType(String fileName) {
        if (fileName.endsWith(".json")) {
            return "application/json";
        }
        return fileName.endsWith(".md") ? "text/markdown; charset=utf-8" : "text/csv; charset=utf-8";
    }

    /** Opens the stream for one report file. */
    @FunctionalInterface
    public interface Sink {
        OutputStream open(String fileName) throws IOException;
    }

    private ReportWriter() {}

    /** Writes every report to {@code sink} and returns what the reconciliation found. */
    public static Reconciler.Outcome write(
            Sink sink, TrackerTotals purchase, TrackerTotals inventory, Invoices invoices, RunInfo info)
            throws IOException {
        Reconciler reconciler = new Reconciler(purchase, inventory, info.tolerances());
        Reconciler.Outcome outcome;
        // invoices.csv, the longest to write (a merge of the second pass's sorted runs), is written on a thread of
        // its own while the other reports are written here. Its file is opened here, on the caller's thread, as
        // every other: a sink need not take opens from two threads.
        Writer v = writer(sink, INVOICES);
        FutureTask<Long> invoiceReport = new FutureTask<>(() -> {
            // The merge of the sorted runs runs ahead on a thread of its own while this one renders its lines.
            try (v;
                    Prefetch<InvoiceLine> lines = new Prefetch<>(invoices.merged(), 4096, "tally-invoices-merge")) {
                return new InvoiceReport(purchase, inventory, info.tolerances()).write(v, lines);
            }
        });
        Thread invoiceThread = new Thread(invoiceReport, "tally-invoices-report");
        invoiceThread.setDaemon(true);
        invoiceThread.start();
        Findings findings;
        try {
            try (Writer d = writer(sink, DISCREPANCIES);
                    Writer o = writer(sink, OFFICERS)) {
                outcome = reconciler.write(d, o);
            }
            try (Writer r = writer(sink, REJECTED)) {
                Reconciler.writeRejected(r, purchase, inventory);
            }
            findings = new Findings(purchase, inventory, info.tolerances());
            try (Writer f = writer(sink, FINDINGS)) {
                findings.write(f);
            }
        } catch (IOException | RuntimeException | Error e) {
            // The invoice thread is waited for either way: nothing writes into the sink once this call is over.
            try {
                Futures.awaitWrite(invoiceReport);
            } catch (IOException | RuntimeException | Error alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        Futures.awaitWrite(invoiceReport);
        SummaryReport report = SummaryReport.of(purchase, inventory, info, outcome, findings.unsearchedDates());
        try (OutputStream s = sink.open(SUMMARY_MD)) {
            s.write(report.markdown().getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream s = sink.open(SUMMARY)) {
            s.write(summary(purchase, inventory, info, outcome, report.warnings())
                    .getBytes(StandardCharsets.UTF_8));
        }
        return outcome;
    }

    /**
     * Writes the reports into {@code out} as one set: readers of {@code out} see the previous set or this
     * one, never a mix ({@link ReportDirectory}).
     */
    public static Reconciler.Outcome toDirectory(
            Path out, TrackerTotals purchase, TrackerTotals inventory, Invoices invoices, RunInfo info)
            throws IOException {
        return ReportDirectory.of(out).publish(info.runId(), set -> toFiles(set, purchase, inventory, invoices, info));
    }

    /** Writes the reports as plain files into an existing folder (a staging folder, say). */
    public static Reconciler.Outcome toFiles(
            Path dir, TrackerTotals purchase, TrackerTotals inventory, Invoices invoices, RunInfo info)
            throws IOException {
        return write(name -> Files.newOutputStream(dir.resolve(name)), purchase, inventory, invoices, info);
    }

    /** The {@code summary.json} text, its warnings read from the rejected rows ({@link SummaryReport}). */
    public static String summary(
            TrackerTotals purchase, TrackerTotals inventory, RunInfo info, Reconciler.Outcome outcome) {
        return summary(
                purchase,
                inventory,
                info,
                outcome,
                SummaryReport.of(purchase, inventory, info, outcome).warnings());
    }

    private static String summary(
            TrackerTotals purchase,
            TrackerTotals inventory,
            RunInfo info,
            Reconciler.Outcome outcome,
            List<SummaryReport.Warning> warnings) {
        JsonText root = new JsonText();
        root.put("run_id", info.runId());
        root.put("executor", info.executor());
        root.put("started_at", info.startedAt().toString());
        root.put(
                "duration_ms", Duration.between(info.startedAt(), Instant.now()).toMillis());
        JsonText inputs = root.putObject("inputs");
        input(inputs.putObject("purchase"), info.purchase(), purchase);
        input(inputs.putObject("inventory"), info.inventory(), inventory);
        JsonText options = root.putObject("options");
        options.put("tolerance_kg", info.tolerances().kg().toPlainString());
        options.put("tolerance_pct", info.tolerances().pct().toPlainString());
        options.put("date_order", info.dateOrder().cliName());
        options.put("gizzard_compared", KeyJoin.gizzardCompared(purchase, inventory));
        JsonText rows = root.putObject("rows");
        rows(rows.putObject("purchase"), purchase);
        rows(rows.putObject("inventory"), inventory);
        JsonText keys = root.putObject("keys");
        keys.put("total", outcome.keys());
        for (Status s : Status.values()) {
            keys.put(s.name(), outcome.keysByStatus().get(s));
        }
        JsonText totals = root.putObject("total_diffs");
        totals.put("birds", outcome.birdDiff());
        totals.put("chicken_kg", Numbers.milli(outcome.chickenDiffMilli()));
        if (outcome.gizzardDiffMilli() == null) {
            totals.putNull("gizzard_kg");
        } else {
            totals.put("gizzard_kg", Numbers.milli(outcome.gizzardDiffMilli()));
        }
        JsonText.Objects list = root.putObjects("warnings");
        for (SummaryReport.Warning w : warnings) {
            list.add().put("code", w.code()).put("message", w.message());
        }
        return root + "\n";
    }

    private static void input(JsonText node, RunInfo.InputFile file, TrackerTotals totals) {
        node.put("source", file.source());
        node.put("bytes", file.bytes());
        if (!file.fingerprint().isEmpty()) {
            node.put("fingerprint", file.fingerprint());
        }
        if (!file.etag().isEmpty()) {
            node.put("etag", file.etag());
        }
        node.put("header_row", totals.layout().headerRow());
    }

    private static void rows(JsonText node, TrackerTotals t) {
        long rejected = t.rejected().size();
        if (t.rowsRead() != t.blank() + t.accepted() + rejected) {
            throw new IllegalStateException(
                    t.layout().source() + ": rows read " + t.rowsRead() + " != blank + accepted + rejected");
        }
        node.put("read", t.rowsRead());
        node.put("blank", t.blank());
        node.put("accepted", t.accepted());
        node.put("rejected", rejected);
    }

    private static Writer writer(Sink sink, String name) throws IOException {
        return new Utf8Writer(sink.open(name));
    }
}
