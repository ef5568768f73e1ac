package io.tally.cli.local;

import io.tally.functions.Wiring;
import io.tally.functions.handlers.PlannerHandler;
import io.tally.functions.handlers.ReducerHandler;
import io.tally.functions.handlers.SheetsExportHandler;
import io.tally.functions.handlers.SheetsPublishHandler;
import io.tally.functions.handlers.WatchdogHandler;
import io.tally.functions.handlers.WorkerHandler;
import java.util.Optional;

/**
 * The deployed handlers, built on one wiring, as {@code tally local} and the tests drive them; the Sheets
 * handlers only when Google Sheets are configured.
 */
public record LocalFunctions(
        PlannerHandler upload,
        WorkerHandler worker,
        ReducerHandler reduce,
        WatchdogHandler watchdog,
        Optional<SheetsExportHandler> sheetsExport,
        Optional<SheetsPublishHandler> sheetsPublish) {

    public static LocalFunctions of(Wiring wiring) {
        boolean sheets = wiring.config().sheets().isPresent();
        return new LocalFunctions(
                new PlannerHandler(wiring),
                new WorkerHandler(wiring),
                new ReducerHandler(wiring),
                new WatchdogHandler(wiring),
                sheets && wiring.config().sheets().get().purchase().isPresent()
                        ? Optional.of(new SheetsExportHandler(wiring))
                        : Optional.empty(),
                sheets && wiring.config().sheets().get().report().isPresent()
                        ? Optional.of(new SheetsPublishHandler(wiring))
                        : Optional.empty());
    }
}
