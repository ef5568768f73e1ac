package io.tally.core.internal;

import static io.tally.core.internal.PlainCells.COMMAS;
import static io.tally.core.internal.PlainCells.CRS;
import static io.tally.core.internal.PlainCells.HIGHS;
import static io.tally.core.internal.PlainCells.LFS;
import static io.tally.core.internal.PlainCells.LONGS;
import static io.tally.core.internal.PlainCells.QUOTES;
import static io.tally.core.internal.PlainCells.zeroBytes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into RFC 4180 records without decoding it, keeping the absolute byte offset of
 * every record so ranges of a file can be stitched back together exactly.
 *
 * <p>Records end at LF, CRLF or a lone CR outside quotes. A field that starts with a quote runs to the
 * matching quote ({@code ""} is a literal quote); text after the closing quote is kept literally, as is a
 * quote inside an unquoted field. UTF-8 is validated on the way. Per record it allocates nothing: fields
 * are slices of the read buffer, and only fields holding doubled quotes are copied out.
 */
public final class RecordScanner {
    /** A record longer than this is unreadable input. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private static final int BUFFER_BYTES = MAX_RECORD_BYTES + (1 << 20);
    private static final int NEED_MORE = -1;
    private static final byte PLAIN = 0;
    private static final byte QUOTED = 1;
    private static final byte MIXED = 2;
    /** Non-zero for the bytes the scanner must look at: comma, quote, CR, LF and non-ASCII. */
    private static final boolean[] SPECIAL = new boolean[256];

    static {
        SPECIAL[','] = true;
        SPECIAL['"'] = true;
        SPECIAL['\r'] = true;
        SPECIAL['\n'] = true;
        for (int b = 0x80; b < 0x100; b++) {
            SPECIAL[b] = true;
        }
    }

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int pos;
    private int lim;
    private long base;
    private boolean eof;

    private int fieldCount;
    private int[] starts = new int[32];
    private int[] ends = new int[32];
    private byte[] kinds = new byte[32];
    private byte[] unescaped = new byte[256];

    private boolean openQuote;
    private int fieldLimit = Integer.MAX_VALUE;
    private int recordIndex;
    private int tailStart = -1;
    private long recordStart;
    private long recordEnd;
    private int contentEnd;

    /** Scans {@code in}, whose first byte sits at absolute offset {@code offset} of the file. */
    public RecordScanner(InputStream in, long offset) {
        this.in = in;
        this.base = offset;
    }

    /**
     * Splits only the first {@code n} fields of each record; the rest is checked (quotes, line ends,
     * UTF-8) but not cut into fields until {@link #splitAll} or {@link #raw} needs them. Wide sheets
     * with many ignored columns read faster this way.
     */
    public void limitFields(int n) {
        fieldLimit = Math.max(1, n);
    }

    /** Splits the current record into all of its fields, past any limit. */
    public void splitAll() {
        if (tailStart < 0) {
            return;
        }
        int limit = fieldLimit;
        fieldLimit = Integer.MAX_VALUE;
        try {
            scan(recordIndex);
            unescapeMixedFields();
        } finally {
            fieldLimit = limit;
        }
    }

    /** Absolute offset of the next unread record. */
    public long position() {
        return base + pos;
    }

    /**
     * Moves to absolute offset {@code offset}, a record start at or after {@link #position()}: the bytes before it
     * are passed over without being looked at (read from the stream, or skipped in it, but not scanned).
     */
    public void skipTo(long offset) {
        long at = base + pos;
        if (offset < at) {
            throw new IllegalArgumentException("cannot skip back from byte " + at + " to " + offset);
        }
        if (offset <= base + lim) {
            pos = (int) (offset - base);
            return;
        }
        long gap = offset - (base + lim);
        base += lim;
        pos = 0;
        lim = 0;
        try {
            in.skipNBytes(gap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base += gap;
    }

    /** Skips a UTF-8 byte-order mark if the stream starts with one. Call before the first record. */
    public void skipByteOrderMark() {
        while (lim - pos < 3 && !eof) {
            fill();
        }
        if (lim - pos >= 3
                && (buf[pos] & 0xff) == 0xEF
                && (buf[pos + 1] & 0xff) == 0xBB
                && (buf[pos + 2] & 0xff) == 0xBF) {
            pos += 3;
        }
    }

    /**
     * Moves to the first record that starts at or after absolute offset {@code from} (which must be at or
     * after the current position), guessing: it takes the first offset whose previous byte ends a line.
     * A quoted newline can fool this, which is why callers verify the guess. Returns the guessed offset,
     * or -1 if the stream ends first.
     */
    public long seekGuessedRecordStart(long from) {
        // The caller opened the stream one byte before 'from' so the previous byte can be inspected.
        while (true) {
            int i = pos;
            while (i < lim) {
                byte b = buf[i];
                if (b == '\n') {
                    pos = i + 1;
                    return base + pos;
                }
                if (b == '\r') {
                    if (i + 1 >= lim && !eof) {
                        break;
                    }
                    if (i + 1 >= lim || buf[i + 1] != '\n') {
                        pos = i + 1;
                        return base + pos;
                    }
                }
                i++;
            }
            pos = i;
            if (eof) {
                return -1;
            }
            fill();
        }
    }

    /**
     * Reads the next record. Returns false at the end of the stream.
     *
     * @throws RecordFormatException for an unclosed quote, a record over 1 MiB or bytes that are not UTF-8
     */
    public boolean next() {
        while (true) {
            int next = scan(pos);
            if (next >= 0) {
                if (next == pos && fieldCount == 0) {
                    return false;
                }
                if (contentEnd - pos > MAX_RECORD_BYTES) {
                    throw new RecordFormatException(RecordFormatException.Kind.TOO_LONG, base + pos);
                }
                recordStart = base + pos;
                recordEnd = base + next;
                recordIndex = pos;
                pos = next;
                unescapeMixedFields();
                return true;
            }
            // Too long for sure, but which fault is decided on a whole buffer from the record's start (or up to
            // the end of the stream), never on however much the last reads happened to bring: a quote that closes
            // within it makes the record too long, one still open says the quote is not closed. A file and an S3
            // stream, which deliver the same bytes in different pieces, then give the same fault.
            if (lim - pos > MAX_RECORD_BYTES + 2 && (eof || (pos == 0 && lim == buf.length))) {
                throw new RecordFormatException(
                        openQuote
                                ? RecordFormatException.Kind.UNCLOSED_QUOTE_TOO_LONG
                                : RecordFormatException.Kind.TOO_LONG,
                        base + pos);
            }
            fill();
        }
    }

    /**
     * The read buffer, for a caller with a fast path of its own for plain records: it may parse the record at
     * {@link #bufferPosition()} from these bytes, up to {@link #bufferLimit()}, then {@link #consumed} it. Bytes
     * at and past the limit are stale.
     */
    public byte[] buffer() {
        return buf;
    }

    /** Index in {@link #buffer()} of the next unread record's first byte. */
    public int bufferPosition() {
        return pos;
    }

    /** Index in {@link #buffer()} past the last byte read so far. */
    public int bufferLimit() {
        return lim;
    }

    /**
     * Makes room for at least {@code bytes} bytes from {@link #bufferPosition()} on: moves the unread bytes to the
     * buffer's start and reads until that many are in, or the stream ends. For a fast path, which then finds whole
     * records in the buffer without reading itself; {@code bytes} must be well under the buffer's size.
     */
    public void ensureBuffered(int bytes) {
        if (pos > 0 && pos + bytes + 64 > buf.length) {
            fill(); // moves the unread bytes to the start, and reads
        }
        while (lim - pos < bytes && !eof) {
            fill();
        }
    }

    /**
     * Moves past the record at {@link #bufferPosition()}, which the caller read from the buffer itself and found
     * to end just before {@code next}, the index of the following record's first byte (past the line end). The
     * caller must have seen a whole record of at most {@link #MAX_RECORD_BYTES} there, with no quote and no
     * byte that is not ASCII; the current record's fields are then empty, as for no record.
     */
    public void consumed(int next) {
        recordStart = base + pos;
        recordEnd = base + next;
        recordIndex = pos;
        pos = next;
        fieldCount = 0;
        tailStart = -1;
    }

    /** Absolute offset of the current record's first byte. */
    public long recordStart() {
        return recordStart;
    }

    /** Absolute offset just past the current record's line end: where the next record starts. */
    public long recordEnd() {
        return recordEnd;
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** The array holding the field's bytes: the read buffer, or a scratch copy for unescaped fields. */
    public byte[] array(int field) {
        return kinds[field] == MIXED ? unescaped : buf;
    }

    public int start(int field) {
        return starts[field];
    }

    public int end(int field) {
        return ends[field];
    }

    /** The field as text, unquoted and untrimmed. */
    public String text(int field) {
        return new String(array(field), starts[field], ends[field] - starts[field], StandardCharsets.UTF_8);
    }

    /** True when every field is empty or white space. */
    public boolean isBlank() {
        if (!splitFieldsBlank()) {
            return false;
        }
        if (tailStart >= 0) {
            splitAll();
            return splitFieldsBlank();
        }
        return true;
    }

    private boolean splitFieldsBlank() {
        for (int f = 0; f < fieldCount; f++) {
            byte[] a = array(f);
            for (int i = starts[f], e = ends[f]; i < e; i++) {
                if (!Bytes.isSpace(a[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** All fields as read, joined by {@code |}: the {@code raw} column of a rejected row. */
    public String raw() {
        splitAll();
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < fieldCount; f++) {
            if (f > 0) {
                sb.append('|');
            }
            sb.append(text(f));
        }
        return sb.toString();
    }

    private int scan(int p) {
        final byte[] b = buf;
        final int l = lim;
        fieldCount = 0;
        openQuote = false;
        tailStart = -1;
        int i = p;
        int fieldStart = p;
        byte kind = PLAIN;
        int quotedEnd = 0;
        final int limit = fieldLimit;
        while (true) {
            if (i == fieldStart && i < l && b[i] == '"') {
                int close = quoted(i, p);
                if (close < 0) {
                    return NEED_MORE;
                }
                kind = close == Integer.MAX_VALUE ? MIXED : QUOTED;
                if (kind == MIXED) {
                    close = quotedClose;
                }
                quotedEnd = close;
                i = close + 1;
                if (i < l) {
                    byte after = b[i];
                    if (after != ',' && after != '\n' && after != '\r') {
                        kind = MIXED;
                    }
                }
            }
            i = nextSpecial(b, i, l);
            if (i >= l) {
                if (!eof) {
                    return NEED_MORE;
                }
                if (i == p) {
                    return p;
                }
                addField(kind, fieldStart, i, quotedEnd);
                contentEnd = i;
                return i;
            }
            byte c = b[i];
            if (c == ',') {
                addField(kind, fieldStart, i, quotedEnd);
                kind = PLAIN;
                fieldStart = ++i;
                if (fieldCount == limit) {
                    return scanTail(p, i);
                }
            } else if (c == '\n') {
                addField(kind, fieldStart, i, quotedEnd);
                contentEnd = i;
                return i + 1;
            } else if (c == '\r') {
                if (i + 1 >= l && !eof) {
                    return NEED_MORE;
                }
                addField(kind, fieldStart, i, quotedEnd);
                contentEnd = i;
                return i + 1 < l && b[i + 1] == '\n' ? i + 2 : i + 1;
            } else if (c == '"') {
                i++; // a quote inside an unquoted field is a literal character
            } else {
                i = skipUtf8(i);
                if (i < 0) {
                    return NEED_MORE;
                }
            }
        }
    }

    private int quotedClose;

    /** Finds the end of a record whose fields from {@code i} on are not split; returns as {@link #scan} does. */
    private int scanTail(int p, int i) {
        final byte[] b = buf;
        final int l = lim;
        tailStart = i;
        while (true) {
            if (i < l && b[i] == '"' && b[i - 1] == ',') {
                int close = quoted(i, p);
                if (close < 0) {
                    return NEED_MORE;
                }
                i = (close == Integer.MAX_VALUE ? quotedClose : close) + 1;
            }
            i = nextLineEndQuoteOrHigh(b, i, l);
            if (i >= l) {
                if (!eof) {
                    return NEED_MORE;
                }
                contentEnd = i;
                return i;
            }
            byte c = b[i];
            if (c == '\n') {
                contentEnd = i;
                return i + 1;
            } else if (c == '\r') {
                if (i + 1 >= l && !eof) {
                    return NEED_MORE;
                }
                contentEnd = i;
                return i + 1 < l && b[i + 1] == '\n' ? i + 2 : i + 1;
            } else if (c == '"') {
                if (b[i - 1] != ',') {
                    i++; // a literal quote inside an unquoted field
                }
            } else {
                i = skipUtf8(i);
                if (i < 0) {
                    return NEED_MORE;
                }
            }
        }
    }

    /** Index of the first quote, CR, LF or non-ASCII byte in [i, l), or l. */
    private static int nextLineEndQuoteOrHigh(byte[] b, int i, int l) {
        while (i + 8 <= l) {
            long w = (long) LONGS.get(b, i);
            long hits = zeroBytes(w ^ QUOTES) | zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS) | (w & HIGHS);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
            i += 8;
        }
        while (i < l && b[i] != '"' && b[i] != '\n' && b[i] != '\r' && b[i] >= 0) {
            i++;
        }
        return i;
    }

    /**
     * Scans the quoted field opening at {@code i}. Returns the index of the closing quote, or
     * {@code Integer.MAX_VALUE} with {@link #quotedClose} set when the field holds doubled quotes, or
     * NEED_MORE.
     */
    private int quoted(int i, int recordStart) {
        final byte[] b = buf;
        final int l = lim;
        int j = i + 1;
        boolean doubled = false;
        while (true) {
            j = nextQuoteOrHigh(b, j, l);
            if (j >= l) {
                if (!eof) {
                    openQuote = true;
                    return NEED_MORE;
                }
                throw new RecordFormatException(RecordFormatException.Kind.UNCLOSED_QUOTE, base + recordStart);
            }
            byte d = b[j];
            if (d == '"') {
                if (j + 1 >= l && !eof) {
                    openQuote = true;
                    return NEED_MORE;
                }
                if (j + 1 < l && b[j + 1] == '"') {
                    doubled = true;
                    j += 2;
                    continue;
                }
                if (doubled) {
                    quotedClose = j;
                    return Integer.MAX_VALUE;
                }
                return j;
            }
            j = skipUtf8(j);
            if (j < 0) {
                openQuote = true;
                return NEED_MORE;
            }
        }
    }

    /** Index of the first comma, quote, CR, LF or non-ASCII byte in [i, l), or l; eight bytes at a time. */
    private static int nextSpecial(byte[] b, int i, int l) {
        while (i + 8 <= l) {
            long w = (long) LONGS.get(b, i);
            long hits = zeroBytes(w ^ COMMAS)
                    | zeroBytes(w ^ QUOTES)
                    | zeroBytes(w ^ LFS)
                    | zeroBytes(w ^ CRS)
                    | (w & HIGHS);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
            i += 8;
        }
        while (i < l && !SPECIAL[b[i] & 0xff]) {
            i++;
        }
        return i;
    }

    /** Index of the first quote or non-ASCII byte in [i, l), or l. */
    private static int nextQuoteOrHigh(byte[] b, int i, int l) {
        while (i + 8 <= l) {
            long w = (long) LONGS.get(b, i);
            long hits = zeroBytes(w ^ QUOTES) | (w & HIGHS);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
            i += 8;
        }
        while (i < l && b[i] != '"' && b[i] >= 0) {
            i++;
        }
        return i;
    }

    private void addField(byte kind, int fieldStart, int fieldEnd, int quotedEnd) {
        if (fieldCount == starts.length) {
            int n = fieldCount * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            kinds = Arrays.copyOf(kinds, n);
        }
        int f = fieldCount++;
        kinds[f] = kind;
        if (kind == QUOTED) {
            starts[f] = fieldStart + 1;
            ends[f] = quotedEnd;
        } else {
            starts[f] = fieldStart;
            ends[f] = fieldEnd;
        }
    }

    /** Copies fields with doubled quotes or text after the closing quote into one scratch array. */
    private void unescapeMixedFields() {
        // Room for every mixed field of the record together: each unescapes to at most its own length.
        int need = 0;
        for (int f = 0; f < fieldCount; f++) {
            if (kinds[f] == MIXED) {
                need += ends[f] - starts[f];
            }
        }
        if (unescaped.length < need) {
            unescaped = Arrays.copyOf(unescaped, Math.max(unescaped.length * 2, need));
        }
        int w = 0;
        byte[] out = unescaped;
        for (int f = 0; f < fieldCount; f++) {
            if (kinds[f] != MIXED) {
                continue;
            }
            int i = starts[f] + 1;
            int e = ends[f];
            int from = w;
            while (i < e) {
                byte c = buf[i];
                if (c == '"') {
                    if (i + 1 < e && buf[i + 1] == '"') {
                        out[w++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                out[w++] = c;
                i++;
            }
            while (i < e) {
                out[w++] = buf[i++];
            }
            starts[f] = from;
            ends[f] = w;
        }
    }

    /** Validates the UTF-8 sequence at {@code i}; returns the index after it, or NEED_MORE. */
    private int skipUtf8(int i) {
        int b0 = buf[i] & 0xff;
        int n;
        int min2 = 0x80;
        int max2 = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 1;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 2;
            if (b0 == 0xE0) {
                min2 = 0xA0;
            } else if (b0 == 0xED) {
                max2 = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 3;
            if (b0 == 0xF0) {
                min2 = 0x90;
            } else if (b0 == 0xF4) {
                max2 = 0x8F;
            }
        } else {
            throw new RecordFormatException(RecordFormatException.Kind.BAD_UTF8, base + i);
        }
        if (i + n >= lim) {
            if (!eof) {
                return NEED_MORE;
            }
            throw new RecordFormatException(RecordFormatException.Kind.BAD_UTF8, base + i);
        }
        int b1 = buf[i + 1] & 0xff;
        if (b1 < min2 || b1 > max2) {
            throw new RecordFormatException(RecordFormatException.Kind.BAD_UTF8, base + i);
        }
        for (int k = 2; k <= n; k++) {
            if ((buf[i + k] & 0xC0) != 0x80) {
                throw new RecordFormatException(RecordFormatException.Kind.BAD_UTF8, base + i);
            }
        }
        return i + n + 1;
    }

    private void fill() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            base += pos;
            pos = 0;
        }
        try {
            while (lim < buf.length) {
                int n = in.read(buf, lim, buf.length - lim);
                if (n < 0) {
                    eof = true;
                    return;
                }
                if (n > 0) {
                    lim += n;
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
