package io.tally.sheets;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Truncated exponential backoff with jitter, as Google advises for the Sheets API: the n-th retry waits a
 * random time in {@code [d/2, d]} where {@code d = min(cap, base * 2^(n-1))}.
 *
 * @param attempts tries in all, the first included
 * @param base     the first retry's longest wait
 * @param cap      no wait is longer
 */
public record Backoff(int attempts, Duration base, Duration cap) {
    public Backoff {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff base must be at least 0 and at most the cap");
        }
    }

    public static Backoff defaults() {
        return new Backoff(7, Duration.ofSeconds(1), Duration.ofSeconds(64));
    }

    /** The wait before retry {@code n} (1 for the first retry). */
    public Duration delay(int n, RandomGenerator random) {
        long d = base.toMillis() << Math.min(30, n - 1);
        if (d < 0 || d > cap.toMillis()) {
            d = cap.toMillis();
        }
        long half = d / 2;
        return Duration.ofMillis(half + (d - half == 0 ? 0 : random.nextLong(d - half + 1)));
    }
}
