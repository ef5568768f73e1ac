package io.tally.core;

import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The serialized form of a {@link Partial}, version 3, documented in {@code docs/partial-format.md}.
 * Big-endian, length-prefixed UTF-8 strings, no compression.
 */
public final class PartialCodec {
    /** The four bytes every partial starts with: {@code TLYP}. */
    public static final int MAGIC = 0x544C5950;

    public static final int VERSION = 3;

    private PartialCodec() {}

    /** The partial's bytes, as {@link #write} writes them. */
    public static byte[] toBytes(Partial partial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(partial, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /**
     * The partial those bytes hold, as {@link #read} reads it.
     *
     * @throws java.io.UncheckedIOException if they are not a partial of a version this code reads
     */
    public static Partial fromBytes(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Partial partial, OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        d.writeInt(MAGIC);
        d.writeShort(VERSION);
        d.writeByte(partial.tracker().ordinal());
        OfficerDictionary officers = partial.officers();
        d.writeInt(officers.size());
        for (int i = 0; i < officers.size(); i++) {
            string(d, officers.name(i));
        }
        KeyTable t = partial.table();
        d.writeInt(t.size());
        for (int s = 0; s < t.size(); s++) {
            long key = t.keyAt(s);
            d.writeInt(KeyTable.epochDay(key));
            d.writeInt(KeyTable.officer(key));
            if (t.isWide(s)) {
                d.writeByte(1);
                bigInteger(d, t.exactBirds(s));
                bigInteger(d, t.exactChicken(s));
                bigInteger(d, t.exactGizzard(s));
            } else {
                d.writeByte(0);
                d.writeLong(t.birds(s));
                d.writeLong(t.chicken(s));
                d.writeLong(t.gizzard(s));
            }
            int n = t.invoiceCount(s);
            d.writeInt(n);
            if (n > 0) {
                byte[] set = t.invoiceSet(s);
                d.writeInt(set.length);
                d.write(set);
            }
        }
        List<Segment> segments = partial.segments();
        d.writeInt(segments.size());
        for (Segment seg : segments) {
            d.writeLong(seg.rangeStart());
            d.writeLong(seg.rangeEnd());
            d.writeBoolean(seg.exactStart());
            d.writeLong(seg.firstStart());
            d.writeLong(seg.lastEnd());
            d.writeLong(seg.records());
            d.writeLong(seg.blank());
            d.writeLong(seg.accepted());
            d.writeBoolean(seg.fatal().isPresent());
            if (seg.fatal().isPresent()) {
                d.writeLong(seg.fatal().get().row());
                string(d, seg.fatal().get().message());
            }
            d.writeInt(Math.toIntExact(seg.rejectedRows().size()));
            seg.rejectedRows().writeTo(d);
        }
        d.flush();
    }

    /**
     * Reads a partial written by {@link #write}.
     *
     * @throws IOException if the bytes are not a partial of a version this code reads
     */
    public static Partial read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(new Buffered(in));
        try {
            if (d.readInt() != MAGIC) {
                throw new IOException("not a Tally partial (bad magic number)");
            }
            int version = d.readUnsignedShort();
            if (version != VERSION) {
                throw new IOException(
                        "partial format version " + version + " is not supported (this build reads " + VERSION + ")");
            }
            int trackerOrdinal = d.readUnsignedByte();
            if (trackerOrdinal >= Tracker.values().length) {
                throw new IOException("unknown tracker " + trackerOrdinal);
            }
            Tracker tracker = Tracker.values()[trackerOrdinal];
            OfficerDictionary officers = new OfficerDictionary();
            int officerCount = count(d);
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
            for (int i = 0; i < officerCount; i++) {
                byte[] name = bytes(d);
                requireUtf8(utf8, name);
                if (officers.idOfName(name, 0, name.length) != i) {
                    throw new IOException("duplicate officer name in partial");
                }
            }
            int keyCount = count(d);
            KeyTable table = new KeyTable(Math.max(16, keyCount));
            if (keyCount > 0) {
                table.forgetRows(); // the format carries no row offsets: a second pass reads the whole ranges
            }
            for (int s = 0; s < keyCount; s++) {
                int day = d.readInt();
                int officer = d.readInt();
                if (officer < 0 || officer >= officerCount) {
                    throw new IOException("officer index " + officer + " out of range");
                }
                int form = d.readUnsignedByte();
                if (form > 1) {
                    throw new IOException("unknown sum form " + form);
                }
                BigInteger[] wide = form == 1 ? new BigInteger[] {bigInteger(d), bigInteger(d), bigInteger(d)} : null;
                long birds = form == 0 ? d.readLong() : 0;
                long chicken = form == 0 ? d.readLong() : 0;
                long gizzard = form == 0 ? d.readLong() : 0;
                int n = count(d);
                byte[] inv = null;
                if (n > 0) {
                    int length = count(d);
                    if (length > (1 << 30)) {
                        throw new IOException("invoice set of " + length + " bytes in partial is too long");
                    }
                    inv = new byte[length];
                    d.readFully(inv);
                }
                int slot = table.slot(KeyTable.key(day, officer));
                if (wide != null) {
                    table.absorb(slot, wide[0], wide[1], wide[2], inv, n);
                } else {
                    table.absorb(slot, birds, chicken, gizzard, inv, n);
                }
            }
            int segmentCount = count(d);
            List<Segment> segments = new ArrayList<>(segmentCount);
            for (int i = 0; i < segmentCount; i++) {
                long rangeStart = d.readLong();
                long rangeEnd = d.readLong();
                boolean exact = d.readBoolean();
                long firstStart = d.readLong();
                long lastEnd = d.readLong();
                long records = d.readLong();
                long blank = d.readLong();
                long accepted = d.readLong();
                Optional<Segment.Fatal> fatal =
                        d.readBoolean() ? Optional.of(new Segment.Fatal(d.readLong(), string(d))) : Optional.empty();
                int rejectedCount = count(d);
                RejectedRows rejected = RejectedRows.readFrom(d, rejectedCount);
                try {
                    segments.add(new Segment(
                            rangeStart,
                            rangeEnd,
                            exact,
                            firstStart,
                            lastEnd,
                            records,
                            blank,
                            accepted,
                            rejected,
                            fatal));
                } catch (IllegalArgumentException e) {
                    throw new IOException("corrupt partial: " + e.getMessage(), e);
                }
            }
            if (d.read() != -1) {
                throw new IOException("trailing bytes after the partial");
            }
            return new Partial(tracker, officers, table, segments);
        } catch (EOFException e) {
            throw new IOException("truncated partial", e);
        }
    }

    private static int count(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            throw new IOException("negative count in partial");
        }
        return n;
    }

    private static void bigInteger(DataOutputStream d, BigInteger v) throws IOException {
        byte[] b = v.toByteArray();
        d.writeShort(b.length);
        d.write(b);
    }

    private static BigInteger bigInteger(DataInputStream d) throws IOException {
        int n = d.readUnsignedShort();
        if (n == 0) {
            throw new IOException("empty number in partial");
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return new BigInteger(b);
    }

    static void string(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    static String string(DataInputStream d) throws IOException {
        return new String(bytes(d), StandardCharsets.UTF_8);
    }

    /** Names are compared and ordered as UTF-8 bytes, so a name that is not UTF-8 is a corrupt partial. */
    private static void requireUtf8(CharsetDecoder utf8, byte[] name) throws IOException {
        try {
            utf8.decode(ByteBuffer.wrap(name)); // resets the decoder first
        } catch (CharacterCodingException e) {
            throw new IOException("officer name in partial is not UTF-8");
        }
    }

    private static byte[] bytes(DataInputStream d) throws IOException {
        int n = count(d);
        if (n > (16 << 20)) {
            throw new IOException("string of " + n + " bytes in partial is too long");
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return b;
    }

    /**
     * A read buffer without {@link java.io.BufferedInputStream}'s lock: a partial is decoded by one thread, and
     * the lock on each of the eight or so reads a key takes showed in the reducer's profile.
     */
    private static final class Buffered extends InputStream {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int end;

        Buffered(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            pos = 0;
            end = Math.max(0, in.read(buf, 0, buf.length));
            return end > 0;
        }

        @Override
        public int read() throws IOException {
            if (pos == end && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == end) {
                if (len >= buf.length) {
                    return in.read(b, off, len);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
