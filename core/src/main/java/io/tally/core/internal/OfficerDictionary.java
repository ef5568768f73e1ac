package io.tally.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps officer cells to small ids without allocating per row: the raw bytes of a cell are looked up in
 * an open-addressing table under a keyed hash ({@link Bytes#keyedHash}, so no set of names can be made to
 * collide); only a spelling not seen before is decoded and title-cased. Different
 * spellings of one name ({@code ADA OBI}, {@code ada  obi}) share an id.
 */
public final class OfficerDictionary {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> idByName = new HashMap<>();

    private byte[][] spellings = new byte[64][];
    private int[] spellingIds = new int[64];
    private int spellingCount;

    /** The id for the raw cell {@code a[s, e)}, which must not be blank. */
    public int idOf(byte[] a, int s, int e) {
        int mask = spellings.length - 1;
        int h = (int) Bytes.keyedHash(a, s, e);
        int slot = h & mask;
        while (true) {
            byte[] known = spellings[slot];
            if (known == null) {
                break;
            }
            if (known.length == e - s && Arrays.equals(known, 0, known.length, a, s, e)) {
                return spellingIds[slot];
            }
            slot = (slot + 1) & mask;
        }
        int id = idOfName(Names.titleCase(new String(a, s, e - s, StandardCharsets.UTF_8)));
        spellings[slot] = Arrays.copyOfRange(a, s, e);
        spellingIds[slot] = id;
        if (++spellingCount * 2 > spellings.length) {
            grow();
        }
        return id;
    }

    /** The id for an already title-cased name. */
    public int idOfName(String name) {
        Integer id = idByName.get(name);
        if (id == null) {
            id = names.size();
            names.add(name);
            idByName.put(name, id);
        }
        return id;
    }

    public String name(int id) {
        return names.get(id);
    }

    public int size() {
        return names.size();
    }

    private void grow() {
        byte[][] oldSpellings = spellings;
        int[] oldIds = spellingIds;
        spellings = new byte[oldSpellings.length * 2][];
        spellingIds = new int[oldSpellings.length * 2];
        int mask = spellings.length - 1;
        for (int i = 0; i < oldSpellings.length; i++) {
            byte[] known = oldSpellings[i];
            if (known != null) {
                int slot = (int) Bytes.keyedHash(known, 0, known.length) & mask;
                while (spellings[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                spellings[slot] = known;
                spellingIds[slot] = oldIds[i];
            }
        }
    }
}
