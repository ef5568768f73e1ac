package io.tally.core.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JSON object written the way {@code summary.json} has always looked: fields in insertion order, two-space
 * indent, {@code "name" : value}. Enough for one small file, so core needs no JSON library (the Spark job
 * runs beside Glue's own Jackson).
 */
public final class JsonText {
    private final List<String> names = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    public JsonText put(String name, String value) {
        return field(name, value);
    }

    public JsonText put(String name, long value) {
        return field(name, value);
    }

    /** A whole number of any size, written as a JSON number. */
    public JsonText put(String name, BigInteger value) {
        return field(name, value);
    }

    public JsonText put(String name, boolean value) {
        return field(name, value);
    }

    public JsonText putNull(String name) {
        return field(name, null);
    }

    /** Adds an object field and returns it, to fill. */
    public JsonText putObject(String name) {
        JsonText child = new JsonText();
        field(name, child);
        return child;
    }

    /** Adds a field holding an array of objects and returns it, to fill with {@link Objects#add()}. */
    public Objects putObjects(String name) {
        Objects array = new Objects();
        field(name, array);
        return array;
    }

    /** An array of objects, written as Jackson's default pretty printer writes one: {@code [ {...}, {...} ]}. */
    public static final class Objects {
        private final List<JsonText> items = new ArrayList<>();

        /** Adds an object and returns it, to fill. */
        public JsonText add() {
            JsonText item = new JsonText();
            items.add(item);
            return item;
        }

        private void write(StringBuilder sb, int depth) {
            if (items.isEmpty()) {
                sb.append("[ ]");
                return;
            }
            sb.append("[ ");
            for (int k = 0; k < items.size(); k++) {
                if (k > 0) {
                    sb.append(", ");
                }
                items.get(k).write(sb, depth);
            }
            sb.append(" ]");
        }
    }

    private JsonText field(String name, Object value) {
        names.add(name);
        values.add(value);
        return this;
    }

    /** The pretty-printed text, without a trailing newline. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(1024);
        write(sb, 0);
        return sb.toString();
    }

    private void write(StringBuilder sb, int depth) {
        if (names.isEmpty()) {
            sb.append("{ }");
            return;
        }
        sb.append('{');
        for (int k = 0; k < names.size(); k++) {
            sb.append(k == 0 ? "\n" : ",\n");
            indent(sb, depth + 1);
            string(sb, names.get(k));
            sb.append(" : ");
            Object v = values.get(k);
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String s) {
                string(sb, s);
            } else if (v instanceof JsonText o) {
                o.write(sb, depth + 1);
            } else if (v instanceof Objects a) {
                a.write(sb, depth + 1);
            } else {
                sb.append(v);
            }
        }
        sb.append('\n');
        indent(sb, depth);
        sb.append('}');
    }

    private static void indent(StringBuilder sb, int depth) {
        for (int k = 0; k < depth; k++) {
            sb.append("  ");
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped, everything else as it is. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
