package io.tally.functions.sheets;

import io.tally.core.DateOrder;
import io.tally.sheets.A1;
import io.tally.sheets.SheetsClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Streams one sheet into CSV, a chunk of rows per request, so memory holds one chunk whatever the sheet's
 * size; the rows pass through a local spill file so each can be padded to the sheet's width. Row numbers survive: blank rows in the middle (which Sheets returns as empty rows) and the rows above
 * the header are written, and blank rows that end a chunk are written once a later chunk holds data, so
 * record n of the CSV is row n of the sheet. Where to stop comes from the sheet's grid size.
 */
public final class SheetDownload {
    /** Countries whose locale shows dates month first. */
    private static final Set<String> MONTH_FIRST =
            Set.of("US", "PH", "FM", "MH", "PW", "BZ", "GU", "AS", "MP", "PR", "VI", "UM");

    /** What an export wrote. */
    public record Exported(
            String spreadsheetId,
            String sheet,
            long rows,
            long bytes,
            String sha256,
            String locale,
            Optional<String> warning) {}

    private final SheetsClient client;
    private final int chunkRows;

    /** @param chunkRows rows per request (default 20,000) */
    public SheetDownload(SheetsClient client, int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be at least 1, not " + chunkRows);
        }
        this.client = client;
        this.chunkRows = chunkRows;
    }

    /**
     * Writes the sheet to {@code out} (not closed) as CSV and returns what was written. The rows are read
     * once into a local spill file (length-prefixed cells), since every CSV row is as wide as the widest row
     * of the sheet, which is known only at the end; then written out padded.
     */
    public Exported export(String spreadsheetId, String sheet, DateOrder dateOrder, OutputStream out)
            throws IOException {
        SheetsClient.SheetInfo info = client.sheet(spreadsheetId, sheet);
        Path spill = Files.createTempFile("tally-sheet-", ".rows");
        try {
            int width = 0;
            long rows = 0;
            try (DataOutputStream d =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spill), 1 << 16))) {
                int columns = Math.max(1, info.columns());
                long pendingBlank = 0;
                for (int first = 1; first <= info.rows(); first += chunkRows) {
                    int last = (int) Math.min(info.rows(), (long) first + chunkRows - 1);
                    List<List<Object>> chunk = client.read(spreadsheetId, sheet, A1.range(sheet, first, last, columns));
                    if (chunk.isEmpty()) {
                        pendingBlank += last - first + 1;
                        continue;
                    }
                    for (; pendingBlank > 0; pendingBlank--) {
                        d.writeInt(0);
                        rows++;
                    }
                    for (List<Object> row : chunk) {
                        int n = row == null ? 0 : row.size();
                        d.writeInt(n);
                        for (int c = 0; c < n; c++) {
                            Object cell = row.get(c);
                            byte[] b = (cell == null ? "" : cell.toString()).getBytes(StandardCharsets.UTF_8);
                            d.writeInt(b.length);
                            d.write(b);
                        }
                        width = Math.max(width, n);
                        rows++;
                    }
                    // Trailing blank rows of a chunk: written only if a later chunk holds data.
                    pendingBlank = (last - first + 1) - chunk.size();
                }
            }
            MessageDigest sha = sha256();
            Counting counting = new Counting(out);
            CsvRows csv = new CsvRows(new DigestOutputStream(counting, sha));
            try (DataInputStream d =
                    new DataInputStream(new BufferedInputStream(Files.newInputStream(spill), 1 << 16))) {
                List<String> cells = new ArrayList<>();
                for (long r = 0; r < rows; r++) {
                    cells.clear();
                    int n = d.readInt();
                    for (int c = 0; c < n; c++) {
                        byte[] b = new byte[d.readInt()];
                        d.readFully(b);
                        cells.add(new String(b, StandardCharsets.UTF_8));
                    }
                    csv.row(cells, width);
                }
            }
            return new Exported(
                    spreadsheetId,
                    sheet,
                    rows,
                    counting.count,
                    HexFormat.of().formatHex(sha.digest()),
                    info.locale(),
                    localeWarning(info, dateOrder));
        } finally {
            Files.deleteIfExists(spill);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A warning when the spreadsheet's locale shows dates in the other order than the one configured. */
    static Optional<String> localeWarning(SheetsClient.SheetInfo info, DateOrder configured) {
        if (info.locale().isEmpty()) {
            return Optional.empty();
        }
        String[] parts = info.locale().split("[_-]");
        String country = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        DateOrder suggested = MONTH_FIRST.contains(country) ? DateOrder.MONTH_FIRST : DateOrder.DAY_FIRST;
        if (suggested == configured) {
            return Optional.empty();
        }
        return Optional.of("spreadsheet " + info.spreadsheetId() + " uses locale " + info.locale() + ", which shows "
                + "d/M/yyyy dates " + suggested.cliName() + ", but dates are read " + configured.cliName()
                + " (--date-order " + configured.cliName() + "); check that the dates read as meant");
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
