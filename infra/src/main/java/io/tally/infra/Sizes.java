package io.tally.infra;

import software.amazon.awscdk.Duration;

/**
 * Memory and timeout of each function, from the figures measured in docs/performance.md (the benchmarks,
 * scaling on Lambda, Glue) and docs/architecture.md (Google Sheets). Lambda gives one full vCPU at 1,769 MB, so CPU-bound functions
 * get at least that.
 */
final class Sizes {
    /**
     * A function's memory (MB), timeout and ephemeral storage under {@code /tmp} (MB).
     */
    record Size(int memoryMb, Duration timeout, int tmpMb) {
        Size(int memoryMb, Duration timeout) {
            this(memoryMb, timeout, DEFAULT_TMP_MB);
        }
    }

    /** Lambda's default {@code /tmp}. */
    static final int DEFAULT_TMP_MB = 512;

    /**
     * Upload/planner. Inline runs (inputs under 64 MiB) run here: {@code tally reconcile} reads at 334-387 MB/s
     * and peaks at 374 MB RSS on 1.69 GB ("Performance"), so 64 MiB takes well under a second of one vCPU;
     * 1,769 MB buys that vCPU. The timeout covers GlueLauncher's backoff (6 tries from 2 s doubling: about 62 s
     * of waiting) and 14 SendMessageBatch calls for the largest fan-out, with room to spare.
     */
    static final Size PLANNER = new Size(1769, Duration.minutes(5));

    /**
     * Chunk worker: one 64 MiB range at 324-338 MB/s is about 0.2 s, about 1 s with the ranged GET and the
     * partial's put ("Scaling on Lambda"). One vCPU (1,769 MB); 60 s is 60x that, enough for a slow S3 stream
     * (64 MiB at 2 MB/s is 32 s).
     */
    static final Size WORKER = new Size(1769, Duration.seconds(60));

    /**
     * Reducer: the projection for 100M rows is about 9.4 s and 750 MB live at about 150 B a key and side, on
     * 3,008 MB ("Scaling on Lambda"); fan-out goes up to the 20 GiB Glue threshold, about twice that projection.
     * 3,008 MB, and 5 minutes is many times the largest expected reduce. Its {@code /tmp} is context's
     * {@code reducerTmpMb} ({@link #reducer}).
     */
    static final Size REDUCER = new Size(3008, Duration.minutes(5));

    /**
     * The reducer with {@code tmpMb} of {@code /tmp}. Rejected rows past 16 MiB wait there, about the size of
     * their {@code rejected_rows.csv} (1.26 GB for 10M rejected rows; 512 MB holds about 4 million). SnapStart
     * takes at most 512 MB, so a larger {@code /tmp} turns SnapStart off for the reducer ({@link TallyFunction}).
     */
    static Size reducer(int tmpMb) {
        return new Size(REDUCER.memoryMb(), REDUCER.timeout(), tmpMb);
    }

    /**
     * Glue state handler: copies the reports to {@code reports/latest/} and writes status.json. The copy is
     * server-side (no data passes through the function), one CopyObject up to 5 GB and UploadPartCopy in parallel
     * parts above; S3 publishes no copy rate, so the timeout is Lambda's longest, 15 minutes, which a run pays only
     * for the time it uses. 1,024 MB for its CPU share at init.
     */
    static final Size GLUE_STATE = new Size(1024, Duration.minutes(15));

    /**
     * Sheets export: 20,000 rows a request under a 60-reads-a-minute quota ("Google Sheets"), retries up to 7
     * tries with a 64 s backoff cap; rows stream through a spill file, so memory holds one chunk. A 1,000,000-row
     * tracker pair is 100 requests, about 100 s at the quota, plus retries: the full 15 minutes. 2,048 MB for the
     * two parallel exports' chunks and their CPU.
     */
    static final Size SHEETS_EXPORT = new Size(2048, Duration.minutes(15));

    /**
     * Sheets publish: writes up to 10,000,000 cells under 60 writes a minute, with the same retries; holds one
     * run's reports and the tab's notes in memory. 2,048 MB, 15 minutes.
     */
    static final Size SHEETS_PUBLISH = new Size(2048, Duration.minutes(15));

    /**
     * Watchdog: lists runs/_running/ and incoming/, asks GetJobRun, may publish a Glue run that missed its event:
     * the same copies as the Glue state handler, so the same 15 minutes. 1,024 MB.
     */
    static final Size WATCHDOG = new Size(1024, Duration.minutes(15));

    private Sizes() {}
}
