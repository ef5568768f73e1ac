package io.tally.functions.handlers;

import io.tally.functions.Wiring;
import io.tally.functions.run.RangeMessage;
import java.util.function.Consumer;

/** The three handlers built on one wiring, as {@code tally local} and the tests run them. */
public record Handlers(UploadHandler upload, ChunkWorkerHandler worker, WatchdogHandler watchdog) {

    public static Handlers of(Wiring wiring) {
        return of(wiring, m -> { });
    }

    /** With a hook the worker runs before reading each range, to inject failures. */
    public static Handlers of(Wiring wiring, Consumer<RangeMessage> beforeRead) {
        return new Handlers(new UploadHandler(wiring), new ChunkWorkerHandler(wiring.worker(beforeRead)),
                new WatchdogHandler(wiring.watchdog()));
    }
}
