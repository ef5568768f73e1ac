package io.tally.infra;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A small IAM policy evaluator for the tests: what AWS would decide for one request against the statements of
 * a synthesized template, after {@link Resolver} has turned their intrinsic functions into concrete strings.
 * It follows IAM's rules for what Tally's policies use: an explicit Deny wins, else any matching Allow allows,
 * else the request is denied; Action and Resource (and NotAction, NotResource) match with {@code *} (any run of
 * characters, {@code /} included) and {@code ?} (exactly one), actions case-insensitively; a statement's
 * conditions all hold for it to match (operators AND, keys AND, values OR), and a key the request lacks fails
 * its condition unless the operator ends in IfExists. Principals match by service or account. An operator it
 * does not know fails the test rather than being skipped.
 */
final class Iam {
    /**
     * One request.
     *
     * @param principal who asks: a service ({@code cloudwatch.amazonaws.com}) for a resource policy; empty for a
     *                  role's own policy, where the principal is the role
     * @param action    e.g. {@code s3:GetObject}
     * @param resource  the ARN
     * @param context   condition keys and their values ({@code s3:prefix}, {@code aws:SourceAccount}, ...)
     */
    record Request(String principal, String action, String resource, Map<String, String> context) {
        static Request of(String action, String resource) {
            return new Request("", action, resource, Map.of("aws:SecureTransport", "true"));
        }

        Request with(String key, String value) {
            Map<String, String> c = new HashMap<>(context);
            c.put(key, value);
            return new Request(principal, action, resource, Map.copyOf(c));
        }

        Request by(String servicePrincipal) {
            return new Request(servicePrincipal, action, resource, context);
        }

        @Override
        public String toString() {
            return (principal.isEmpty() ? "" : principal + " ") + action + " on " + resource
                    + (context.size() > 1 ? " " + context : "");
        }
    }

    private Iam() {}

    /** Whether {@code statements} allow {@code r}. */
    static boolean allows(List<Map<String, Object>> statements, Request r) {
        boolean allowed = false;
        for (Map<String, Object> st : statements) {
            if (!matches(st, r)) {
                continue;
            }
            if ("Deny".equals(st.get("Effect"))) {
                return false;
            }
            if ("Allow".equals(st.get("Effect"))) {
                allowed = true;
            }
        }
        return allowed;
    }

    private static boolean matches(Map<String, Object> st, Request r) {
        if (st.containsKey("Principal") && !principalMatches(st.get("Principal"), r.principal())) {
            return false;
        }
        if (st.containsKey("Action") && values(st.get("Action")).stream().noneMatch(a -> like(a, r.action(), true))) {
            return false;
        }
        if (st.containsKey("NotAction")
                && values(st.get("NotAction")).stream().anyMatch(a -> like(a, r.action(), true))) {
            return false;
        }
        if (st.containsKey("Resource")
                && values(st.get("Resource")).stream().noneMatch(x -> like(x, r.resource(), false))) {
            return false;
        }
        if (st.containsKey("NotResource")
                && values(st.get("NotResource")).stream().anyMatch(x -> like(x, r.resource(), false))) {
            return false;
        }
        Object condition = st.get("Condition");
        if (condition instanceof Map<?, ?> ops) {
            for (Map.Entry<?, ?> op : ops.entrySet()) {
                for (Map.Entry<?, ?> key : ((Map<?, ?>) op.getValue()).entrySet()) {
                    if (!conditionHolds(op.getKey().toString(), key.getKey().toString(), values(key.getValue()), r)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean conditionHolds(String operator, String key, List<String> wanted, Request r) {
        boolean ifExists = operator.endsWith("IfExists");
        String op = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        // Condition keys are case-insensitive.
        Optional<String> actual = r.context().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(key))
                .map(Map.Entry::getValue)
                .findFirst();
        if (actual.isEmpty()) {
            return ifExists || op.startsWith("StringNot") || op.startsWith("ArnNot");
        }
        String v = actual.get();
        return switch (op) {
            case "StringEquals", "ArnEquals" ->
                op.equals("ArnEquals") ? wanted.stream().anyMatch(w -> like(w, v, false)) : wanted.contains(v);
            case "StringNotEquals" -> !wanted.contains(v);
            case "StringEqualsIgnoreCase" -> wanted.stream().anyMatch(w -> w.equalsIgnoreCase(v));
            case "StringLike", "ArnLike" -> wanted.stream().anyMatch(w -> like(w, v, false));
            case "StringNotLike", "ArnNotLike" -> wanted.stream().noneMatch(w -> like(w, v, false));
            case "Bool" -> wanted.stream().anyMatch(w -> w.equalsIgnoreCase(v));
            default -> throw new IllegalArgumentException("the evaluator does not know condition operator " + operator);
        };
    }

    private static boolean principalMatches(Object principal, String who) {
        if ("*".equals(principal)) {
            return true;
        }
        if (!(principal instanceof Map<?, ?> p)) {
            throw new IllegalArgumentException("unexpected principal " + principal);
        }
        if (p.containsKey("Service") && values(p.get("Service")).contains(who)) {
            return true;
        }
        return p.containsKey("AWS") && values(p.get("AWS")).stream().anyMatch(a -> a.equals("*") || a.equals(who));
    }

    /** IAM's wildcard match: {@code *} any run of characters, {@code ?} exactly one. */
    static boolean like(String pattern, String value, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(
                    switch (c) {
                        case '*' -> ".*";
                        case '?' -> ".";
                        default -> Pattern.quote(String.valueOf(c));
                    });
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL)
                .matcher(ignoreCase ? value.toLowerCase(Locale.ROOT) : value)
                .matches();
    }

    static List<String> values(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(x)));
        } else if (v != null) {
            out.add(String.valueOf(v));
        }
        return out;
    }
}
