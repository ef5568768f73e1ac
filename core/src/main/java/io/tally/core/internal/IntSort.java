package io.tally.core.internal;

/** Sorts an {@code int[]} by a comparator without boxing: a stable merge sort, n log n whatever the input. */
public final class IntSort {
    /** Compares two ints. */
    @FunctionalInterface
    public interface Comparator {
        int compare(int a, int b);
    }

    private IntSort() {}

    public static void sort(int[] a, Comparator c) {
        int[] buf = new int[a.length];
        int[] from = a;
        int[] to = buf;
        for (int width = 1; width < a.length; width *= 2) {
            for (int lo = 0; lo < a.length; lo += 2 * width) {
                int mid = Math.min(lo + width, a.length);
                int hi = Math.min(lo + 2 * width, a.length);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    to[k++] = c.compare(from[j], from[i]) < 0 ? from[j++] : from[i++];
                }
                while (i < mid) {
                    to[k++] = from[i++];
                }
                while (j < hi) {
                    to[k++] = from[j++];
                }
            }
            int[] t = from;
            from = to;
            to = t;
        }
        if (from != a) {
            System.arraycopy(from, 0, a, 0, a.length);
        }
    }
}
