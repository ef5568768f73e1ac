package io.tally.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.tally.functions.Wiring;
import io.tally.functions.run.Json;
import io.tally.functions.sheets.SheetsExport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** The scheduled export of both trackers from Google Sheets into {@code incoming/}. */
public final class SheetsExportHandler implements RequestStreamHandler {
    private final SheetsExport export;

    public SheetsExportHandler() {
        this(Wiring.fromEnv());
    }

    /** On given adapters: {@code tally local} and the tests drive the handler this way. */
    public SheetsExportHandler(Wiring wiring) {
        this.export = wiring.sheetsExport();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // the schedule's event says nothing the export needs
        output.write(Json.bytes(Map.of("exports", export.run())));
    }
}
