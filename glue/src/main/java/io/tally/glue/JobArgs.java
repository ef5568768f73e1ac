package io.tally.glue;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} arguments, as Glue passes job parameters and as {@code tally glue-local} takes them. */
final class JobArgs {
    private JobArgs() {}

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (arguments are --name value)");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                out.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (k + 1 < args.length && !args[k + 1].startsWith("--")) {
                out.put(a.substring(2), args[++k]);
            } else {
                out.put(a.substring(2), "true");
            }
        }
        return out;
    }

    static String required(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
