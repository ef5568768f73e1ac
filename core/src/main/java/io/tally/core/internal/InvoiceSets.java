package io.tally.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact sets of invoice texts, one per key, kept small. A set is a byte array of its distinct texts in
 * unsigned byte order, each front-coded against the one before: {@code shared:varint suffixLength:varint
 * suffix}. Invoice numbers of one officer and day usually share long prefixes ({@code INV-2024-00001..}), so
 * an entry often costs fewer bytes than a 64-bit hash would, and two texts are one invoice only when they
 * are equal.
 *
 * <p>While rows stream in, texts are appended to a per-key buffer ({@code length:varint text}) and folded
 * into the set when the buffer grows or the range ends. The scratch space is per instance: one per table.
 */
public final class InvoiceSets {
    /** Fold a key's pending texts into its set once they take this many bytes. */
    static final int PENDING_LIMIT = 2048;

    private byte[] text = new byte[4096];
    private int[] starts = new int[256];
    private int[] lengths = new int[256];
    private int[] order = new int[256];
    private int[] buffer = new int[256];
    private int entries;
    private int used;

    /**
     * Bytes this scratch space holds: it spells out every text of the largest set it has built, however small
     * front coding made that set, and keeps the room.
     */
    public long footprint() {
        return text.length + 16L * starts.length;
    }

    /** Appends {@code a[s, e)} to a pending buffer (which may be null); returns the buffer, grown if needed. */
    public static byte[] append(byte[] pending, int pendingLength, byte[] a, int s, int e) {
        int n = e - s;
        int need = pendingLength + 5 + n;
        if (pending == null || need > pending.length) {
            pending = Arrays.copyOf(
                    pending == null ? new byte[0] : pending,
                    Math.max(need, Math.max(32, pending == null ? 0 : pending.length * 2)));
        }
        int at = writeVarint(pending, pendingLength, n);
        System.arraycopy(a, s, pending, at, n);
        return pending;
    }

    /** The length {@link #append} gave the buffer: where the next text goes. */
    public static int appendedLength(int pendingLength, int textLength) {
        return pendingLength + varintSize(textLength) + textLength;
    }

    /**
     * Folds the pending texts into a set: the union, as a new set. {@code counts[0]} gets its size.
     *
     * @param set      the current set, or null when empty
     * @param setSize  its number of texts
     */
    public byte[] fold(byte[] set, int setSize, byte[] pending, int pendingLength, int[] counts) {
        entries = 0;
        used = 0;
        decodeSet(set, setSize); // already sorted
        int sorted = entries;
        int at = 0;
        int[] len = new int[1];
        while (at < pendingLength) {
            at = readVarint(pending, at, len);
            add(pending, at, len[0]);
            at += len[0];
        }
        for (int k = 0; k < entries; k++) {
            order[k] = k;
        }
        sort(sorted, entries); // only the pending texts: the set is in order already
        mergeRuns(0, sorted, entries);
        return encode(counts);
    }

    /** The union of two sets. {@code counts[0]} gets its size. */
    public byte[] union(byte[] a, int aSize, byte[] b, int bSize, int[] counts) {
        entries = 0;
        used = 0;
        decodeSet(a, aSize);
        int mid = entries;
        decodeSet(b, bSize);
        for (int k = 0; k < entries; k++) {
            order[k] = k;
        }
        mergeRuns(0, mid, entries); // two sorted sets: one linear merge
        return encode(counts);
    }

    /** Every text of a set, decoded (for tests and diagnostics). */
    public static List<String> texts(byte[] set, int size) {
        List<String> out = new ArrayList<>(size);
        byte[] prev = new byte[0];
        int at = 0;
        int[] v = new int[1];
        for (int k = 0; k < size; k++) {
            at = readVarint(set, at, v);
            int shared = v[0];
            at = readVarint(set, at, v);
            byte[] cur = Arrays.copyOf(prev, shared + v[0]);
            System.arraycopy(set, at, cur, shared, v[0]);
            at += v[0];
            out.add(new String(cur, StandardCharsets.UTF_8));
            prev = cur;
        }
        return out;
    }

    private void decodeSet(byte[] set, int size) {
        if (set == null) {
            return;
        }
        int at = 0;
        int prevStart = -1;
        int[] v = new int[1];
        for (int k = 0; k < size; k++) {
            at = readVarint(set, at, v);
            int shared = v[0];
            at = readVarint(set, at, v);
            int suffix = v[0];
            ensure(shared + suffix);
            int start = used;
            if (shared > 0) {
                System.arraycopy(text, prevStart, text, start, shared);
            }
            System.arraycopy(set, at, text, start + shared, suffix);
            at += suffix;
            push(start, shared + suffix);
            prevStart = start;
        }
    }

    private void add(byte[] a, int s, int n) {
        ensure(n);
        int start = used;
        System.arraycopy(a, s, text, start, n);
        push(start, n);
    }

    private void ensure(int n) {
        if (used + n > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, used + n));
        }
    }

    private void push(int start, int n) {
        if (entries == starts.length) {
            starts = Arrays.copyOf(starts, entries * 2);
            lengths = Arrays.copyOf(lengths, entries * 2);
            order = Arrays.copyOf(order, entries * 2);
            buffer = Arrays.copyOf(buffer, entries * 2);
        }
        starts[entries] = start;
        lengths[entries] = n;
        entries++;
        used = start + n;
    }

    /** Encodes {@code order[0, entries)}, which is sorted, dropping duplicates. */
    private byte[] encode(int[] counts) {
        byte[] out = new byte[Math.max(16, used + entries * 2)];
        int at = 0;
        int prev = -1;
        int distinct = 0;
        for (int k = 0; k < entries; k++) {
            int cur = order[k];
            if (prev >= 0 && compare(prev, cur) == 0) {
                continue;
            }
            int shared = 0;
            if (prev >= 0) {
                int max = Math.min(lengths[prev], lengths[cur]);
                int mismatch =
                        Arrays.mismatch(text, starts[prev], starts[prev] + max, text, starts[cur], starts[cur] + max);
                shared = mismatch < 0 ? max : mismatch;
            }
            int suffix = lengths[cur] - shared;
            if (at + 10 + suffix > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, at + 10 + suffix));
            }
            at = writeVarint(out, at, shared);
            at = writeVarint(out, at, suffix);
            System.arraycopy(text, starts[cur] + shared, out, at, suffix);
            at += suffix;
            prev = cur;
            distinct++;
        }
        counts[0] = distinct;
        return Arrays.copyOf(out, at);
    }

    private int compare(int x, int y) {
        return Arrays.compareUnsigned(text, starts[x], starts[x] + lengths[x], text, starts[y], starts[y] + lengths[y]);
    }

    /** A stable merge sort of {@code order[from, to)} by text, insertion sort for short runs. */
    private void sort(int from, int to) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = order[i];
                int j = i - 1;
                while (j >= from && compare(order[j], v) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        sort(from, mid);
        sort(mid, to);
        mergeRuns(from, mid, to);
    }

    /** Merges the sorted runs {@code order[from, mid)} and {@code order[mid, to)}. */
    private void mergeRuns(int from, int mid, int to) {
        if (from == mid || mid == to || compare(order[mid - 1], order[mid]) <= 0) {
            return;
        }
        System.arraycopy(order, from, buffer, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(buffer[i], buffer[j]) <= 0)) {
                order[k] = buffer[i++];
            } else {
                order[k] = buffer[j++];
            }
        }
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    static int writeVarint(byte[] out, int at, int v) {
        while ((v & ~0x7f) != 0) {
            out[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    static int readVarint(byte[] in, int at, int[] value) {
        int v = 0;
        int shift = 0;
        while (true) {
            byte b = in[at++];
            v |= (b & 0x7f) << shift;
            if (b >= 0) {
                value[0] = v;
                return at;
            }
            shift += 7;
        }
    }
}
