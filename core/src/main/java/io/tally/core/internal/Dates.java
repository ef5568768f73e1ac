package io.tally.core.internal;

import io.tally.core.DateOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Reads the DATA.md date forms into epoch days: {@code yyyy-MM-dd}, {@code d/M/yyyy} (or {@code M/d/yyyy}),
 * {@code d-MMM-yyyy}, {@code d MMM yyyy}, {@code MMM d, yyyy} and a Sheets serial day number. Trackers
 * repeat the same date for many rows in a row, so the last few texts are remembered.
 */
public final class Dates {
    /** Returned for text that is not a date. */
    public static final int BAD = Integer.MIN_VALUE;

    private static final long SERIAL_EPOCH_DAY = LocalDate.of(1899, 12, 30).toEpochDay();
    private static final String[] MONTHS = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
    };
    private static final int CACHE = 4;

    private final boolean dayFirst;
    private final byte[][] cachedText = new byte[CACHE][];
    private final int[] cachedDay = new int[CACHE];
    private int nextSlot;

    public Dates(DateOrder order) {
        this.dayFirst = order == DateOrder.DAY_FIRST;
    }

    /** The epoch day of the trimmed text in {@code a[s, e)}, or {@link #BAD}. */
    public int parse(byte[] a, int s, int e) {
        s = Bytes.trimStart(a, s, e);
        e = Bytes.trimEnd(a, s, e);
        int n = e - s;
        for (int k = 0; k < CACHE; k++) {
            byte[] c = cachedText[k];
            if (c != null && c.length == n && Arrays.equals(c, 0, n, a, s, e)) {
                return cachedDay[k];
            }
        }
        int day = parseText(new String(a, s, n, StandardCharsets.UTF_8));
        cachedText[nextSlot] = Arrays.copyOfRange(a, s, e);
        cachedDay[nextSlot] = day;
        nextSlot = (nextSlot + 1) % CACHE;
        return day;
    }

    /** The epoch day of trimmed {@code t}, or {@link #BAD}. */
    int parseText(String t) {
        int n = t.length();
        if (n == 0) {
            return BAD;
        }
        if (allDigits(t, 0, n)) {
            if (n > 9) {
                return BAD;
            }
            int serial = Integer.parseInt(t);
            return serial >= 1 && serial <= 99999 ? (int) (SERIAL_EPOCH_DAY + serial) : BAD;
        }
        if (n == 10
                && t.charAt(4) == '-'
                && t.charAt(7) == '-'
                && allDigits(t, 0, 4)
                && allDigits(t, 5, 7)
                && allDigits(t, 8, 10)) {
            return day(num(t, 0, 4), num(t, 5, 7), num(t, 8, 10));
        }
        int slash1 = t.indexOf('/');
        if (slash1 > 0) {
            int slash2 = t.indexOf('/', slash1 + 1);
            if (slash2 < 0 || t.indexOf('/', slash2 + 1) >= 0) {
                return BAD;
            }
            if (!oneOrTwoDigits(t, 0, slash1)
                    || !oneOrTwoDigits(t, slash1 + 1, slash2)
                    || n - slash2 - 1 != 4
                    || !allDigits(t, slash2 + 1, n)) {
                return BAD;
            }
            int first = num(t, 0, slash1);
            int second = num(t, slash1 + 1, slash2);
            int year = num(t, slash2 + 1, n);
            return dayFirst ? day(year, second, first) : day(year, first, second);
        }
        return parseWithMonthName(t);
    }

    private static int parseWithMonthName(String t) {
        int n = t.length();
        // d-MMM-yyyy or d MMM yyyy
        int sep = t.indexOf('-') > 0 ? '-' : ' ';
        int a = t.indexOf(sep);
        if (a > 0 && oneOrTwoDigits(t, 0, a)) {
            int b = t.indexOf(sep, a + 1);
            if (b != a + 4 || n - b - 1 != 4 || !allDigits(t, b + 1, n)) {
                return BAD;
            }
            int month = month(t, a + 1);
            return month < 0 ? BAD : day(num(t, b + 1, n), month, num(t, 0, a));
        }
        // MMM d, yyyy
        if (n >= 10 && t.charAt(3) == ' ') {
            int comma = t.indexOf(", ", 4);
            if (comma < 0 || !oneOrTwoDigits(t, 4, comma) || n - comma - 2 != 4 || !allDigits(t, comma + 2, n)) {
                return BAD;
            }
            int month = month(t, 0);
            return month < 0 ? BAD : day(num(t, comma + 2, n), month, num(t, 4, comma));
        }
        return BAD;
    }

    private static int month(String t, int at) {
        if (at + 3 > t.length()) {
            return -1;
        }
        for (int i = 0; i < MONTHS.length; i++) {
            if (asciiLower(t.charAt(at)) == MONTHS[i].charAt(0)
                    && asciiLower(t.charAt(at + 1)) == MONTHS[i].charAt(1)
                    && asciiLower(t.charAt(at + 2)) == MONTHS[i].charAt(2)) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * {@code c} lower-cased if it is an ASCII capital, else itself. Month names are English abbreviations, so only
     * ASCII letters match: Unicode case folding would read {@code ſ} (U+017F) as {@code s}.
     */
    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static int day(int year, int month, int dayOfMonth) {
        if (year < 1) {
            return BAD;
        }
        try {
            return (int) LocalDate.of(year, month, dayOfMonth).toEpochDay();
        } catch (DateTimeException e) {
            return BAD;
        }
    }

    private static boolean oneOrTwoDigits(String t, int s, int e) {
        return (e - s == 1 || e - s == 2) && allDigits(t, s, e);
    }

    private static boolean allDigits(String t, int s, int e) {
        if (s >= e) {
            return false;
        }
        for (int i = s; i < e; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String t, int s, int e) {
        return Integer.parseInt(t, s, e, 10);
    }

    /** Writes an epoch day as {@code yyyy-MM-dd}. */
    public static String format(int epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }
}
