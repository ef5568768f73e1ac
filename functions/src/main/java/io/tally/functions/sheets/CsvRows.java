package io.tally.functions.sheets;

import io.tally.core.CsvText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a sheet's rows as CSV the way File > Download > CSV does: cells as displayed, every row as wide as
 * the widest, comma separated, quoted only when a cell holds a comma, a quote or a line break. A row is one
 * record whatever its cells hold, so a sheet's row numbers are the CSV's record numbers.
 */
final class CsvRows {
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(256);
    private long rows;

    CsvRows(OutputStream out) {
        this.out = out;
    }

    /** One row, padded with empty cells to {@code width}. */
    void row(List<String> cells, int width) throws IOException {
        line.setLength(0);
        int n = Math.max(width, cells.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                line.append(',');
            }
            if (i < cells.size()) {
                CsvText.plainCell(line, cells.get(i));
            }
        }
        line.append('\n');
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        rows++;
    }

    long rows() {
        return rows;
    }
}
