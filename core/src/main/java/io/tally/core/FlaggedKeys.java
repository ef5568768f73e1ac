package io.tally.core;

import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The (date, officer) keys that are not {@code OK}: the keys {@code invoices.csv} lists invoices for, known only
 * once both trackers are merged. Held as a sorted array of packed keys over a dictionary of the flagged officers'
 * names, about 8 bytes a key plus each officer's name once, so a million flagged keys cost a few megabytes.
 */
public final class FlaggedKeys {
    private final OfficerDictionary officers;
    private final long[] keys;

    private FlaggedKeys(OfficerDictionary officers, long[] keys) {
        this.officers = officers;
        this.keys = keys;
    }

    /** The keys of the join of {@code purchase} and {@code inventory} whose status is not {@code OK}. */
    static FlaggedKeys of(TrackerTotals purchase, TrackerTotals inventory, Tolerances tolerances) {
        // After a merge both sides share one dictionary: its ids serve, and a million flagged officers' names are not
        // copied (that copy ran a million-flagged-key run out of the default heap).
        OfficerDictionary shared = purchase.officers() == inventory.officers() ? purchase.officers() : null;
        OfficerDictionary officers = shared != null ? shared : new OfficerDictionary();
        long[] keys = new long[1024];
        int n = 0;
        KeyJoin join = new KeyJoin(purchase, inventory, tolerances);
        while (join.hasNext()) {
            KeyResult r = join.next();
            if (r.status() == Status.OK) {
                continue;
            }
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
            }
            int id = shared != null ? shared.find(r.officer()) : officers.idOfName(r.officer());
            if (id < 0) {
                throw new IllegalStateException("officer " + r.officer() + " of a key is not in its dictionary");
            }
            keys[n++] = KeyTable.key(r.epochDay(), id);
        }
        long[] sorted = Arrays.copyOf(keys, n);
        Arrays.sort(sorted);
        return new FlaggedKeys(officers, sorted);
    }

    /**
     * The set as bytes, for the readers of a distributed second pass (a Lambda worker, a Spark task): the flagged
     * officers' names in id order, then the sorted keys.
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + keys.length * 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(officers.size());
            for (int id = 0; id < officers.size(); id++) {
                byte[] name = officers.name(id).getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
            }
            out.writeInt(keys.length);
            for (long k : keys) {
                out.writeLong(k);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The set {@link #toBytes} wrote. */
    public static FlaggedKeys fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a set of flagged keys");
            }
            OfficerDictionary officers = new OfficerDictionary();
            int n = in.readInt();
            for (int id = 0; id < n; id++) {
                byte[] name = new byte[in.readInt()];
                in.readFully(name);
                if (officers.idOfName(name, 0, name.length) != id) {
                    throw new IllegalArgumentException("flagged officers repeat a name");
                }
            }
            long[] keys = new long[in.readInt()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = in.readLong();
            }
            return new FlaggedKeys(officers, keys);
        } catch (IOException e) {
            throw new IllegalArgumentException("a set of flagged keys cut short", e);
        }
    }

    private static final int MAGIC = 0x54464b31; // "TFK1"

    /** How many keys are flagged. */
    public int size() {
        return keys.length;
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    /** This set's id of officer {@code id} of {@code dictionary}, or -1 when no flagged key has that officer. */
    int officer(OfficerDictionary dictionary, int id) {
        return officers.find(dictionary, id);
    }

    /** Whether the key (day, {@code officer}, an id from {@link #officer}) is flagged. */
    boolean contains(int day, int officer) {
        return officer >= 0 && Arrays.binarySearch(keys, KeyTable.key(day, officer)) >= 0;
    }
}
