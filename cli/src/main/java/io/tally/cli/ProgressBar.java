package io.tally.cli;

import io.tally.core.Engine;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on stderr, redrawn in place on a terminal; elsewhere (a CI log) one line per 10%.
 * Updated from the worker threads, drawn by its own daemon thread.
 */
final class ProgressBar implements Engine.Progress, AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long total;
    private final boolean enabled;
    private final boolean terminal = System.console() != null;
    private final AtomicLong done = new AtomicLong();
    private final long started = System.nanoTime();
    private final Thread painter;
    private int lastDecile = -1;

    private ProgressBar(PrintWriter err, long total, boolean enabled) {
        this.err = err;
        this.total = Math.max(1, total);
        this.enabled = enabled;
        this.painter = new Thread(this::paintLoop, "tally-progress");
        this.painter.setDaemon(true);
        if (enabled) {
            painter.start();
        }
    }

    static ProgressBar start(PrintWriter err, long total, boolean enabled) {
        return new ProgressBar(err, total, enabled);
    }

    @Override
    public void advanced(long bytes) {
        done.addAndGet(bytes);
    }

    private void paintLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                paint(false);
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void paint(boolean last) {
        long d = Math.min(done.get(), total);
        int pct = (int) (d * 100 / total);
        double secs = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        String line = String.format(
                Locale.ROOT,
                "[%-" + WIDTH + "s] %3d%%  %,d / %,d MB  %,.0f MB/s",
                "#".repeat(pct * WIDTH / 100),
                pct,
                d >> 20,
                total >> 20,
                d / secs / (1 << 20));
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
            err.flush();
        } else if (pct / 10 > lastDecile || last) {
            lastDecile = pct / 10;
            err.println(line);
        }
    }

    @Override
    public void close() {
        if (enabled) {
            painter.interrupt();
            try {
                painter.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            paint(true);
        }
    }
}
