package io.tally.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps officer cells to small ids without allocating per row, and holds each officer's title-cased name.
 *
 * <p>Everything lives in primitive arrays, so a million officers cost about 40 bytes each rather than the
 * 160 a map of strings costs: names and raw spellings as UTF-8 in one byte arena, looked up through
 * open-addressing tables under a keyed hash ({@link Bytes#keyedHash}, so no set of names can be made to
 * collide). A raw cell is looked up as it is; only a spelling not seen before is decoded and title-cased.
 * Different spellings of one name ({@code ADA OBI}, {@code ada  obi}) share an id, and a spelling that is
 * already the name itself shares its bytes.
 *
 * <p>Names compare in {@link String#compareTo} order without becoming strings ({@link #compare}).
 */
public final class OfficerDictionary {
    private byte[] arena = new byte[256];
    private int arenaUsed;

    /** Per id: where its name's bytes start in the arena, and how many. */
    private int[] nameStart = new int[16];

    private int[] nameLength = new int[16];
    private int size;
    /** Open addressing over ids: slot holds id + 1, 0 when empty. */
    private int[] nameIndex = new int[32];

    /** Per spelling: its bytes in the arena, and the id it maps to. */
    private int[] spellingStart = new int[16];

    private int[] spellingLength = new int[16];
    private int[] spellingId = new int[16];
    private int spellingCount;
    /** Open addressing over spellings: slot holds spelling + 1, 0 when empty. */
    private int[] spellingIndex = new int[32];

    /** The id for the raw cell {@code a[s, e)}, which must not be blank. */
    public int idOf(byte[] a, int s, int e) {
        int mask = spellingIndex.length - 1;
        int slot = (int) Bytes.keyedHash(a, s, e) & mask;
        while (true) {
            int k = spellingIndex[slot] - 1;
            if (k < 0) {
                break;
            }
            if (spellingLength[k] == e - s
                    && Arrays.equals(arena, spellingStart[k], spellingStart[k] + spellingLength[k], a, s, e)) {
                return spellingId[k];
            }
            slot = (slot + 1) & mask;
        }
        int id = idOfNewSpelling(a, s, e);
        int k = spellingCount++;
        if (k == spellingStart.length) {
            spellingStart = Arrays.copyOf(spellingStart, k * 2);
            spellingLength = Arrays.copyOf(spellingLength, k * 2);
            spellingId = Arrays.copyOf(spellingId, k * 2);
        }
        boolean isTheName = Arrays.equals(arena, nameStart[id], nameStart[id] + nameLength[id], a, s, e);
        spellingStart[k] = isTheName ? nameStart[id] : append(a, s, e);
        spellingLength[k] = e - s;
        spellingId[k] = id;
        spellingIndex[slot] = k + 1;
        if (spellingCount * 2 > spellingIndex.length) {
            spellingIndex = rehash(spellingIndex, spellingCount, spellingStart, spellingLength);
        }
        return id;
    }

    /**
     * A dictionary per thread that remembers spellings' names across the dictionaries the thread fills: each range
     * of a run has its own, and the same officers appear in most of them, so a name is cleaned once a thread, not
     * once a range. Dropped when it holds {@link #MEMO_NAMES} names, so that it stays small whatever the input.
     */
    private static final ThreadLocal<OfficerDictionary> MEMO = ThreadLocal.withInitial(OfficerDictionary::new);

    private static final int MEMO_NAMES = 8192;

    /** The id of the name of a spelling this dictionary does not hold yet. */
    private int idOfNewSpelling(byte[] a, int s, int e) {
        OfficerDictionary memo = MEMO.get();
        if (memo == this) {
            byte[] name = Names.titleCase(new String(a, s, e - s, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            return idOfName(name, 0, name.length);
        }
        if (memo.size >= MEMO_NAMES) {
            memo = new OfficerDictionary();
            MEMO.set(memo);
        }
        return idOfName(memo, memo.idOf(a, s, e));
    }

    /** The id for an already title-cased name. */
    public int idOfName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return idOfName(b, 0, b.length);
    }

    /** The id for the title-cased name whose UTF-8 bytes are {@code a[s, e)}. */
    public int idOfName(byte[] a, int s, int e) {
        int slot = findName(a, s, e);
        if (nameIndex[slot] != 0) {
            return nameIndex[slot] - 1;
        }
        int id = size++;
        if (id == nameStart.length) {
            nameStart = Arrays.copyOf(nameStart, id * 2);
            nameLength = Arrays.copyOf(nameLength, id * 2);
        }
        nameStart[id] = append(a, s, e);
        nameLength[id] = e - s;
        nameIndex[slot] = id + 1;
        if (size * 2 > nameIndex.length) {
            nameIndex = rehash(nameIndex, size, nameStart, nameLength);
        }
        return id;
    }

    /** The id of {@code other}'s officer {@code otherId} here, added if new. */
    public int idOfName(OfficerDictionary other, int otherId) {
        return idOfName(other.arena, other.nameStart[otherId], other.nameStart[otherId] + other.nameLength[otherId]);
    }

    /** The id of the already title-cased {@code name}, or -1 if this dictionary does not hold it; adds nothing. */
    public int find(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return nameIndex[findName(b, 0, b.length)] - 1;
    }

    /** The id of {@code other}'s officer {@code otherId} here, or -1 if this dictionary does not hold it. */
    public int find(OfficerDictionary other, int otherId) {
        int s = other.nameStart[otherId];
        int slot = findName(other.arena, s, s + other.nameLength[otherId]);
        return nameIndex[slot] - 1;
    }

    /** The slot holding the name {@code a[s, e)}, or the empty slot where it would go. */
    private int findName(byte[] a, int s, int e) {
        int mask = nameIndex.length - 1;
        int slot = (int) Bytes.keyedHash(a, s, e) & mask;
        while (true) {
            int id = nameIndex[slot] - 1;
            if (id < 0
                    || (nameLength[id] == e - s
                            && Arrays.equals(arena, nameStart[id], nameStart[id] + nameLength[id], a, s, e))) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    public String name(int id) {
        if (id < 0 || id >= size) {
            throw new IndexOutOfBoundsException("no officer " + id + " of " + size);
        }
        return new String(arena, nameStart[id], nameLength[id], StandardCharsets.UTF_8);
    }

    public int size() {
        return size;
    }

    /**
     * Compares officer {@code a} of {@code da} with officer {@code b} of {@code db} as
     * {@code da.name(a).compareTo(db.name(b))} would, on their UTF-8 bytes: byte order is code point order,
     * which is UTF-16 order except that characters from U+10000 up (surrogate pairs) come before
     * U+E000 to U+FFFF in UTF-16, so those lead bytes are ranked accordingly.
     */
    public static int compare(OfficerDictionary da, int a, OfficerDictionary db, int b) {
        int as = da.nameStart[a];
        int an = da.nameLength[a];
        int bs = db.nameStart[b];
        int bn = db.nameLength[b];
        int i = Arrays.mismatch(da.arena, as, as + an, db.arena, bs, bs + bn);
        if (i < 0) {
            return 0;
        }
        if (i == an || i == bn) {
            return an - bn;
        }
        return utf16Rank(da.arena[as + i] & 0xff) - utf16Rank(db.arena[bs + i] & 0xff);
    }

    /** A byte's rank such that lead bytes of U+10000 and above (F0-F4) sort before those of U+E000-U+FFFF (EE, EF). */
    private static int utf16Rank(int b) {
        if (b >= 0xF0 && b <= 0xF4) {
            return b - 2;
        }
        if (b == 0xEE || b == 0xEF) {
            return b + 5;
        }
        return b;
    }

    private int append(byte[] a, int s, int e) {
        int n = e - s;
        if (arenaUsed + n > arena.length) {
            long want = Math.max((long) arena.length * 2, (long) arenaUsed + n);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException(
                        "officer names take more than 2 GB; this many distinct officers " + "do not fit one run");
            }
            arena = Arrays.copyOf(arena, (int) want);
        }
        System.arraycopy(a, s, arena, arenaUsed, n);
        int at = arenaUsed;
        arenaUsed += n;
        return at;
    }

    private int[] rehash(int[] old, int count, int[] start, int[] length) {
        int[] index = new int[old.length * 2];
        int mask = index.length - 1;
        for (int k = 0; k < count; k++) {
            int slot = (int) Bytes.keyedHash(arena, start[k], start[k] + length[k]) & mask;
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = k + 1;
        }
        return index;
    }
}
