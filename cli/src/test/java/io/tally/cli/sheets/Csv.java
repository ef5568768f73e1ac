package io.tally.cli.sheets;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 records of a CSV text, for loading test trackers into the emulated sheets. */
final class Csv {
    private Csv() {}

    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (cell.length() > 0 || !row.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }

    /** What File > Download > CSV gives for these rows: every row as wide as the widest, trailing blank rows cut. */
    static String download(List<List<String>> rows) {
        List<List<String>> trimmed = new ArrayList<>();
        int width = 0;
        for (List<String> r : rows) {
            List<String> t = SheetsEmulator.trim(r);
            trimmed.add(t);
            width = Math.max(width, t.size());
        }
        while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1).isEmpty()) {
            trimmed.remove(trimmed.size() - 1);
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : trimmed) {
            for (int c = 0; c < width; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                if (c < r.size()) {
                    String v = r.get(c);
                    boolean q =
                            v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
                    sb.append(q ? '"' + v.replace("\"", "\"\"") + '"' : v);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
