package io.tally.core.internal;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Per-(date, officer) totals in primitive arrays: an open-addressing index over dense columns, so memory
 * grows with the number of keys and a row costs no allocation. A key packs the epoch day into the high
 * 32 bits and the officer id into the low 32 bits.
 *
 * <p>Sums are exact however large they grow ({@link ExactSums}).
 *
 * <p>Distinct invoices are kept as 64-bit hashes of their trimmed text: per key a sorted, duplicate-free
 * array once {@link #compact()} has run, appended to while rows stream in.
 */
public final class KeyTable {
    private int[] index;
    private int size;

    private long[] keys;
    private final ExactSums birds;
    private final ExactSums chicken;
    private final ExactSums gizzard;
    private long[][] invoices;
    private int[] invoiceCounts;

    public KeyTable() {
        this(1024);
    }

    public KeyTable(int expectedKeys) {
        int cap = Integer.highestOneBit(Math.max(16, expectedKeys) * 2 - 1) * 2;
        index = new int[cap];
        keys = new long[cap / 2];
        birds = new ExactSums(cap / 2);
        chicken = new ExactSums(cap / 2);
        gizzard = new ExactSums(cap / 2);
        invoices = new long[cap / 2][];
        invoiceCounts = new int[cap / 2];
    }

    public static long key(int epochDay, int officerId) {
        return ((long) epochDay << 32) | (officerId & 0xffffffffL);
    }

    public static int epochDay(long key) {
        return (int) (key >> 32);
    }

    public static int officer(long key) {
        return (int) key;
    }

    public int size() {
        return size;
    }

    /** The dense slot of {@code key}, created with zero totals if new. */
    public int slot(long key) {
        int mask = index.length - 1;
        int i = (int) Bytes.mix(key) & mask;
        while (true) {
            int s = index[i];
            if (s == 0) {
                break;
            }
            if (keys[s - 1] == key) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
        if (size == keys.length) {
            grow();
            return slot(key);
        }
        int s = size++;
        keys[s] = key;
        index[i] = s + 1;
        return s;
    }

    /** The slot of {@code key}, or -1. */
    public int find(long key) {
        int mask = index.length - 1;
        int i = (int) Bytes.mix(key) & mask;
        while (true) {
            int s = index[i];
            if (s == 0) {
                return -1;
            }
            if (keys[s - 1] == key) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
    }

    public void add(int slot, long birdCount, long chickenMilli, long gizzardMilli) {
        birds.add(slot, birdCount);
        chicken.add(slot, chickenMilli);
        gizzard.add(slot, gizzardMilli);
    }

    /** Adds exact values (from a partial whose sums widened). */
    public void add(int slot, BigInteger birdCount, BigInteger chickenMilli, BigInteger gizzardMilli) {
        birds.add(slot, birdCount);
        chicken.add(slot, chickenMilli);
        gizzard.add(slot, gizzardMilli);
    }

    /** Records an invoice hash; duplicates are removed by {@link #compact()}. */
    public void addInvoice(int slot, long hash) {
        long[] list = invoices[slot];
        int n = invoiceCounts[slot];
        if (list == null) {
            list = new long[4];
            invoices[slot] = list;
        } else if (list[n - 1] == hash) {
            return;
        } else if (n == list.length) {
            if (n >= 64 && isSortedUnique(list, n) == false) {
                n = sortUnique(list, n);
            }
            if (n == list.length) {
                list = Arrays.copyOf(list, n * 2);
                invoices[slot] = list;
            }
        }
        list[n] = hash;
        invoiceCounts[slot] = n + 1;
    }

    /** Sorts every key's invoice hashes and drops duplicates, trimming the arrays. */
    public void compact() {
        for (int s = 0; s < size; s++) {
            long[] list = invoices[s];
            if (list != null) {
                int n = sortUnique(list, invoiceCounts[s]);
                invoiceCounts[s] = n;
                if (n != list.length) {
                    invoices[s] = Arrays.copyOf(list, n);
                }
            }
        }
    }

    /** Adds another table's totals for one key; both must be compacted. */
    public void absorb(int slot, BigInteger birdCount, BigInteger chickenMilli, BigInteger gizzardMilli,
            long[] invoiceHashes, int invoiceCount) {
        add(slot, birdCount, chickenMilli, gizzardMilli);
        absorbInvoices(slot, invoiceHashes, invoiceCount);
    }

    /** As the other {@code absorb}, for sums that fit in a {@code long}. */
    public void absorb(int slot, long birdCount, long chickenMilli, long gizzardMilli, long[] invoiceHashes,
            int invoiceCount) {
        add(slot, birdCount, chickenMilli, gizzardMilli);
        absorbInvoices(slot, invoiceHashes, invoiceCount);
    }

    private void absorbInvoices(int slot, long[] invoiceHashes, int invoiceCount) {
        if (invoiceCount == 0) {
            return;
        }
        long[] mine = invoices[slot];
        int n = invoiceCounts[slot];
        if (mine == null || n == 0) {
            // Compacted arrays are never written again, so an exact-length one can be shared.
            invoices[slot] = invoiceHashes.length == invoiceCount ? invoiceHashes
                    : Arrays.copyOf(invoiceHashes, invoiceCount);
            invoiceCounts[slot] = invoiceCount;
            return;
        }
        long[] merged = new long[n + invoiceCount];
        int i = 0;
        int j = 0;
        int m = 0;
        while (i < n && j < invoiceCount) {
            long x = mine[i];
            long y = invoiceHashes[j];
            if (x == y) {
                merged[m++] = x;
                i++;
                j++;
            } else if (x < y) {
                merged[m++] = x;
                i++;
            } else {
                merged[m++] = y;
                j++;
            }
        }
        while (i < n) {
            merged[m++] = mine[i++];
        }
        while (j < invoiceCount) {
            merged[m++] = invoiceHashes[j++];
        }
        invoices[slot] = m == merged.length ? merged : Arrays.copyOf(merged, m);
        invoiceCounts[slot] = m;
    }

    public long keyAt(int slot) {
        return keys[slot];
    }

    /** Whether any of the slot's sums is outside the {@code long} range (see the {@code exact} accessors). */
    public boolean isWide(int slot) {
        return birds.isWide(slot) || chicken.isWide(slot) || gizzard.isWide(slot);
    }

    public long birds(int slot) {
        return birds.get(slot);
    }

    public long chicken(int slot) {
        return chicken.get(slot);
    }

    public long gizzard(int slot) {
        return gizzard.get(slot);
    }

    public BigInteger exactBirds(int slot) {
        return birds.exact(slot);
    }

    public BigInteger exactChicken(int slot) {
        return chicken.exact(slot);
    }

    public BigInteger exactGizzard(int slot) {
        return gizzard.exact(slot);
    }

    /** The invoice hashes of a slot (only the first {@link #invoiceCount} entries count), or null. */
    public long[] invoices(int slot) {
        return invoices[slot];
    }

    public int invoiceCount(int slot) {
        return invoiceCounts[slot];
    }

    private static boolean isSortedUnique(long[] a, int n) {
        for (int i = 1; i < n; i++) {
            if (a[i - 1] >= a[i]) {
                return false;
            }
        }
        return true;
    }

    private static int sortUnique(long[] a, int n) {
        Arrays.sort(a, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || a[m - 1] != a[i]) {
                a[m++] = a[i];
            }
        }
        return m;
    }

    private void grow() {
        int cap = keys.length * 2;
        keys = Arrays.copyOf(keys, cap);
        birds.grow(cap);
        chicken.grow(cap);
        gizzard.grow(cap);
        invoices = Arrays.copyOf(invoices, cap);
        invoiceCounts = Arrays.copyOf(invoiceCounts, cap);
        index = new int[cap * 2];
        int mask = index.length - 1;
        for (int s = 0; s < size; s++) {
            int i = (int) Bytes.mix(keys[s]) & mask;
            while (index[i] != 0) {
                i = (i + 1) & mask;
            }
            index[i] = s + 1;
        }
    }
}
