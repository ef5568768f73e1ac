package io.tally.core.internal;

import java.util.regex.Pattern;

/** RFC 4180 cells as DATA.md writes them: formula-like text defused, quotes only where needed. */
public final class Csv {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private Csv() {}

    /**
     * Appends one cell: a leading {@code '} if it starts like a formula ({@code = + - @}, a tab or a carriage
     * return, as OWASP advises against CSV injection) and is not a number, then quoting.
     */
    public static void cell(StringBuilder sb, String text) {
        boolean defuse = !text.isEmpty()
                && "=+-@\t\r".indexOf(text.charAt(0)) >= 0
                && !NUMBER.matcher(text).matches();
        boolean quote = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            if (defuse) {
                sb.append('\'');
            }
            sb.append(text);
            return;
        }
        sb.append('"');
        if (defuse) {
            sb.append('\'');
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
}
