package io.tally.core.internal;

/** Officer names: white space trimmed and collapsed, then title case per code point. */
public final class Names {
    private Names() {}

    /**
     * {@code "  ADA   obi "} becomes {@code "Ada Obi"}: every word (a run of non-space characters) gets its
     * first code point upper-cased and the rest lower-cased, as {@link Character#toUpperCase(int)} and
     * {@link Character#toLowerCase(int)} do. Returns the empty string for a blank name.
     */
    public static String titleCase(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        boolean wordStart = true;
        int i = 0;
        int n = raw.length();
        while (i < n) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 128 && Bytes.isSpace((char) cp)) {
                wordStart = true;
                continue;
            }
            if (wordStart) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.appendCodePoint(Character.toUpperCase(cp));
                wordStart = false;
            } else {
                sb.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return sb.toString();
    }
}
