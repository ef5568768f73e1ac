package io.tally.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Tally's one CSV writer and reader for text it writes itself (RFC 4180, {@code \n} line ends): the reports, with
 * DATA.md's formula escape, and a sheet's rows as File > Download > CSV gives them, without it. The trackers are
 * read by the byte-level scanner of the engine, not here.
 */
public final class CsvText {
    /** Text that is a number as a whole, which the formula escape leaves alone. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private CsvText() {}

    /**
     * Appends one report cell: a leading {@code '} if it starts like a formula ({@code = + - @}, a tab or a
     * carriage return, as OWASP advises against CSV injection) and is not a number, then quoting.
     */
    public static void cell(StringBuilder sb, String text) {
        boolean defuse = !text.isEmpty()
                && "=+-@\t\r".indexOf(text.charAt(0)) >= 0
                && !NUMBER.matcher(text).matches();
        append(sb, text, defuse);
    }

    /** Appends one cell as it is, quoted only when it holds a comma, a quote or a line break: no formula escape. */
    public static void plainCell(StringBuilder sb, String text) {
        append(sb, text, false);
    }

    /** A report cell as it was before {@link #cell}'s formula escape. */
    public static String unescape(String cell) {
        if (cell.length() >= 2
                && cell.charAt(0) == '\''
                && "=+-@\t\r".indexOf(cell.charAt(1)) >= 0
                && !NUMBER.matcher(cell.substring(1)).matches()) {
            return cell.substring(1);
        }
        return cell;
    }

    private static void append(StringBuilder sb, String text, boolean defuse) {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (quote) {
            sb.append('"');
        }
        if (defuse) {
            sb.append('\'');
        }
        if (!quote) {
            sb.append(text);
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /**
     * The records of CSV text, one at a time, as written cells (escapes are left on: see {@link #unescape}). A
     * record ends at a {@code \n} outside quotes; a final record without one counts. The stream is read as UTF-8
     * and closed by the caller.
     */
    public static Iterator<List<String>> records(InputStream in) {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        return new Iterator<>() {
            private final char[] buf = new char[1 << 16];
            private int pos;
            private int len;
            private List<String> next;
            private boolean done;

            private int read() {
                if (pos == len) {
                    try {
                        len = r.read(buf, 0, buf.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        return -1;
                    }
                }
                return buf[pos++];
            }

            private int peek() {
                int c = read();
                if (c >= 0) {
                    pos--;
                }
                return c;
            }

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = parse();
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public List<String> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<String> row = next;
                next = null;
                return row;
            }

            private List<String> parse() {
                List<String> row = new ArrayList<>();
                StringBuilder cell = new StringBuilder();
                boolean quoted = false;
                boolean any = false;
                int c;
                while ((c = read()) >= 0) {
                    any = true;
                    if (quoted) {
                        if (c == '"') {
                            if (peek() == '"') {
                                read();
                                cell.append('"');
                            } else {
                                quoted = false;
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
                        return row;
                    } else {
                        cell.append((char) c);
                    }
                }
                if (!any) {
                    return null;
                }
                row.add(cell.toString());
                return row;
            }
        };
    }
}
