package io.tally.functions.sheets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads Tally's own CSV reports back, record by record (RFC 4180, {@code \n} line ends). */
final class ReportCsv {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private ReportCsv() {}

    /** Every record of the report, its header first. */
    static List<List<String>> read(InputStream in) {
        List<List<String>> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            List<String> row = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            int c;
            boolean any = false;
            while ((c = r.read()) >= 0) {
                any = true;
                if (quoted) {
                    if (c == '"') {
                        r.mark(1);
                        int next = r.read();
                        if (next == '"') {
                            cell.append('"');
                        } else {
                            quoted = false;
                            if (next >= 0) {
                                r.reset();
                            }
                        }
                    } else {
                        cell.append((char) c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\n') {
                    row.add(cell.toString());
                    cell.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                    any = false;
                } else {
                    cell.append((char) c);
                }
            }
            if (any) {
                row.add(cell.toString());
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * A report cell as the sheet should hold it: the CSV's formula escape (a leading {@code '} before text that
     * starts like a formula) is taken off, since Tally writes cells as typed (RAW), which never runs a formula.
     */
    static String unescape(String cell) {
        if (cell.length() >= 2
                && cell.charAt(0) == '\''
                && "=+-@\t\r".indexOf(cell.charAt(1)) >= 0
                && !NUMBER.matcher(cell.substring(1)).matches()) {
            return cell.substring(1);
        }
        return cell;
    }
}
