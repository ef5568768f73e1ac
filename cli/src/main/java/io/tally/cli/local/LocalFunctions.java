package io.tally.cli.local;

import io.tally.functions.Wiring;
import io.tally.functions.handlers.ChunkWorkerHandler;
import io.tally.functions.handlers.ReduceHandler;
import io.tally.functions.handlers.UploadHandler;
import io.tally.functions.handlers.WatchdogHandler;

/** The four deployed handlers, built on one wiring, as {@code tally local} and the tests drive them. */
public record LocalFunctions(UploadHandler upload, ChunkWorkerHandler worker, ReduceHandler reduce,
        WatchdogHandler watchdog) {

    public static LocalFunctions of(Wiring wiring) {
        return new LocalFunctions(new UploadHandler(wiring), new ChunkWorkerHandler(wiring),
                new ReduceHandler(wiring), new WatchdogHandler(wiring));
    }
}
