package io.tally.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The request budget and the backoff, on a fake clock. */
class PacingTest {
    /** A clock that advances only when slept on. */
    private static final class FakeClock implements RequestPacer.Clock {
        long now;

        @Override
        public long nanos() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += Math.max(0, nanos);
        }
    }

    @Test
    void pacer_neverStartsMoreThanTheBudgetInAnyWindow() throws Exception {
        FakeClock clock = new FakeClock();
        RequestPacer pacer = new RequestPacer(60, Duration.ofMinutes(1), clock);
        List<Long> starts = new ArrayList<>();
        for (int k = 0; k < 250; k++) {
            pacer.acquire();
            starts.add(clock.now);
            clock.now += Duration.ofMillis(10).toNanos(); // each request takes 10 ms
        }
        long window = Duration.ofMinutes(1).toNanos();
        for (int a = 0; a < starts.size(); a++) {
            int inWindow = 0;
            for (int b = a; b < starts.size() && starts.get(b) - starts.get(a) < window; b++) {
                inWindow++;
            }
            assertThat(inWindow).isLessThanOrEqualTo(60);
        }
        // 250 requests at 60 a minute: the last one starts after about four minutes, not sooner.
        assertThat(Duration.ofNanos(starts.get(249))).isGreaterThanOrEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void backoff_growsExponentially_withJitter_upToTheCap() {
        Backoff b = new Backoff(10, Duration.ofSeconds(1), Duration.ofSeconds(32));
        SplittableRandom random = new SplittableRandom(4);
        for (int n = 1; n <= 9; n++) {
            long full = Math.min(32_000, 1000L << (n - 1));
            for (int k = 0; k < 50; k++) {
                long d = b.delay(n, random).toMillis();
                assertThat(d).isBetween(full / 2, full);
            }
        }
    }

    @Test
    void retryable_isQuotaTimeoutAndServerErrors_only() {
        assertThat(SheetsClient.retryable(429)).isTrue();
        assertThat(SheetsClient.retryable(500)).isTrue();
        assertThat(SheetsClient.retryable(503)).isTrue();
        assertThat(SheetsClient.retryable(408)).isTrue();
        assertThat(SheetsClient.retryable(400)).isFalse();
        assertThat(SheetsClient.retryable(403)).isFalse();
        assertThat(SheetsClient.retryable(404)).isFalse();
    }

    @Test
    void a1_quotesSheetTitles_andNamesColumns() {
        assertThat(A1.range("Pullus Purchase Tracker", 1, 20_000, 6)).isEqualTo("'Pullus Purchase Tracker'!A1:F20000");
        assertThat(A1.quote("O'Neil's")).isEqualTo("'O''Neil''s'");
        assertThat(A1.column(26)).isEqualTo("Z");
        assertThat(A1.column(27)).isEqualTo("AA");
        assertThat(A1.column(702)).isEqualTo("ZZ");
        assertThat(A1.column(703)).isEqualTo("AAA");
    }
}
