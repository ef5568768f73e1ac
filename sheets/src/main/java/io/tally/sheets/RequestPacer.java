package io.tally.sheets;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps requests under a budget per window (Sheets allows 60 reads a minute per user): at most
 * {@code budget} requests start in any {@code window}. A caller over budget waits until the oldest request
 * of the window leaves it. Shared by every thread of one export, so both trackers draw on one budget.
 */
public final class RequestPacer {
    /** Time and sleep, so tests can run a minute's pacing in milliseconds. */
    public interface Clock {
        long nanos();

        void sleep(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                if (nanos > 0) {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                }
            }
        };
    }

    private final int budget;
    private final long windowNanos;
    private final Clock clock;
    private final Deque<Long> starts = new ArrayDeque<>();

    public RequestPacer(int budget, Duration window, Clock clock) {
        if (budget < 1) {
            throw new IllegalArgumentException("the request budget must be at least 1 a window, not " + budget);
        }
        this.budget = budget;
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    /** Waits until one more request fits in the budget, then counts it. Returns the nanoseconds waited. */
    public long acquire() throws InterruptedException {
        long waited = 0;
        while (true) {
            long wait;
            synchronized (this) {
                long now = clock.nanos();
                while (!starts.isEmpty() && now - starts.peekFirst() >= windowNanos) {
                    starts.pollFirst();
                }
                if (starts.size() < budget) {
                    starts.addLast(now);
                    return waited;
                }
                wait = starts.peekFirst() + windowNanos - now;
            }
            clock.sleep(wait);
            waited += wait;
        }
    }
}
