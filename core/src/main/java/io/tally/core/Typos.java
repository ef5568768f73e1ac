package io.tally.core;

/**
 * How far apart two officer names are, for telling a typo from another officer: the optimal string alignment
 * distance (insert, delete, substitute, or swap two adjacent characters, no substring edited twice), counted in
 * code points.
 */
final class Typos {
    private Typos() {}

    /** The distance between {@code a} (code points) and {@code b}, or {@code max + 1} when it is over {@code max}. */
    static int distance(int[] a, String b, int max) {
        int[] c = b.codePoints().toArray();
        return distance(a, c, max);
    }

    static int distance(int[] a, int[] b, int max) {
        int n = a.length;
        int m = b.length;
        if (Math.abs(n - m) > max) {
            return max + 1;
        }
        int[] twoBack = new int[m + 1];
        int[] back = new int[m + 1];
        int[] row = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            back[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            row[0] = i;
            int least = row[0];
            for (int j = 1; j <= m; j++) {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int d = Math.min(Math.min(back[j] + 1, row[j - 1] + 1), back[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                    d = Math.min(d, twoBack[j - 2] + 1);
                }
                row[j] = d;
                least = Math.min(least, d);
            }
            if (least > max) {
                return max + 1;
            }
            int[] t = twoBack;
            twoBack = back;
            back = row;
            row = t;
        }
        return Math.min(back[m], max + 1);
    }
}
