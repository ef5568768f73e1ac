package io.tally.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rejected rows in row order, held as compact bytes rather than objects, and moved to a temporary file once
 * the rows held in memory by the whole process pass {@link #memoryBudget}. A tracker whose ten million rows
 * are all rejected (month-first dates read day-first, say) then costs disk, not heap: memory holds at most
 * the budget plus one {@link #builderChunk} per range being read.
 *
 * <p>Each row is stored as the partial format stores it ({@code docs/partial-format.md}): the row as a long,
 * the code's ordinal as a byte, then the detail and the raw text, each as an int length and UTF-8 bytes.
 * {@link PartialCodec} copies those bytes as they are.
 *
 * <p>A file is deleted, and memory counts against the budget no more, when no {@code RejectedRows} holding
 * its rows is reachable: the {@link Cleaner} watches the stored rows themselves, which concatenations share.
 * Files also go at exit. Iterating opens a file afresh, so nothing holds a file handle between reads.
 */
public final class RejectedRows implements Iterable<RejectedRow> {
    /** Bytes of sealed rows the process keeps in memory before new ones go to disk; tests lower it. */
    static volatile long memoryBudget = 16L << 20;
    /** Bytes a builder gathers in memory before it moves its rows to a file; tests lower it. */
    static volatile int builderChunk = 256 << 10;

    private static final AtomicLong IN_MEMORY = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final RejectedRows EMPTY = new RejectedRows(List.of());

    /** One stored run of rows; {@code rowOffset} is added to each stored row number. */
    private record Part(Storage storage, long rowOffset) {}

    /** The bytes of some rows: in memory or in a file. */
    private static final class Storage {
        final long count;
        final long bytes;
        final byte[] memory;
        final Path file;

        Storage(long count, long bytes, byte[] memory, Path file) {
            this.count = count;
            this.bytes = bytes;
            this.memory = memory;
            this.file = file;
        }

        InputStream open() throws IOException {
            return memory != null
                    ? new ByteArrayInputStream(memory, 0, (int) bytes)
                    : new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        }
    }

    private final List<Part> parts;
    private final long size;

    private RejectedRows(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.size = parts.stream().mapToLong(p -> p.storage.count).sum();
    }

    /** No rows. */
    public static RejectedRows empty() {
        return EMPTY;
    }

    /** These rows, in this order. */
    public static RejectedRows of(List<RejectedRow> rows) {
        Builder b = builder();
        for (RejectedRow r : rows) {
            b.add(r);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rows of each of {@code runs} in turn, each run's row numbers moved by its offset. */
    static RejectedRows concat(List<RejectedRows> runs, long[] rowOffsets) {
        List<Part> all = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (Part p : runs.get(i).parts) {
                all.add(new Part(p.storage, p.rowOffset + rowOffsets[i]));
            }
        }
        return all.isEmpty() ? EMPTY : new RejectedRows(all);
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The rows, decoded one at a time. */
    @Override
    public Iterator<RejectedRow> iterator() {
        return new Iterator<>() {
            private int part = -1;
            private DataInputStream in;
            private long left;

            @Override
            public boolean hasNext() {
                while (left == 0) {
                    close();
                    if (++part >= parts.size()) {
                        return false;
                    }
                    Storage s = parts.get(part).storage;
                    left = s.count;
                    if (left > 0) {
                        try {
                            in = new DataInputStream(s.open());
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read rejected rows back from " + s.file, e);
                        }
                    }
                }
                return true;
            }

            @Override
            public RejectedRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                left--;
                try {
                    RejectedRow r = read(in);
                    return parts.get(part).rowOffset == 0 ? r : r.atRow(r.row() + parts.get(part).rowOffset);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read rejected rows back", e);
                }
            }

            private void close() {
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // Read-only: nothing is lost by a failed close.
                    }
                    in = null;
                }
            }
        };
    }

    /** Writes the rows as the partial format stores them, row numbers as stored plus each part's offset. */
    void writeTo(DataOutputStream out) throws IOException {
        for (Part p : parts) {
            if (p.rowOffset != 0) {
                for (Iterator<RejectedRow> it = new RejectedRows(List.of(p)).iterator(); it.hasNext(); ) {
                    write(out, it.next());
                }
                continue;
            }
            try (InputStream in = p.storage.open()) {
                in.transferTo(out);
            }
        }
    }

    /**
     * Reads {@code count} rows in the partial format from {@code in}.
     *
     * @throws IOException if the bytes are not rows in that format
     */
    static RejectedRows readFrom(DataInputStream in, long count) throws IOException {
        Builder b = builder();
        try {
            for (long k = 0; k < count; k++) {
                b.add(read(in));
            }
        } catch (IOException | RuntimeException e) {
            b.discard();
            throw e;
        }
        return b.build();
    }

    private static RejectedRow read(DataInputStream in) throws IOException {
        long row = in.readLong();
        int code = in.readUnsignedByte();
        if (code >= RejectedRow.Code.values().length) {
            throw new IOException("unknown rejection code " + code);
        }
        String detail = PartialCodec.string(in);
        String raw = PartialCodec.string(in);
        int day = in.readInt();
        String officer = day == RejectedRow.NO_KEY ? "" : PartialCodec.string(in);
        return new RejectedRow(row, RejectedRow.Code.values()[code], detail, raw, day, officer);
    }

    private static void write(DataOutputStream out, RejectedRow r) throws IOException {
        out.writeLong(r.row());
        out.writeByte(r.code().ordinal());
        PartialCodec.string(out, r.detail());
        PartialCodec.string(out, r.raw());
        out.writeInt(r.day());
        if (r.hasKey()) {
            PartialCodec.string(out, r.officer());
        }
    }

    /** The bytes sealed rows hold in memory now, across the process. */
    static long bytesInMemory() {
        return IN_MEMORY.get();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RejectedRows other) || other.size != size) {
            return false;
        }
        Iterator<RejectedRow> a = iterator();
        Iterator<RejectedRow> b = other.iterator();
        while (a.hasNext()) {
            if (!a.next().equals(b.next())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size);
    }

    @Override
    public String toString() {
        return size + " rejected rows";
    }

    /** Gathers rows in order; one thread at a time. */
    public static final class Builder {
        private final Chunk chunk = new Chunk();
        private final DataOutputStream memory = new DataOutputStream(chunk);
        private Path file;
        private DataOutputStream spill;
        private long count;
        private boolean built;

        private Builder() {}

        public Builder add(RejectedRow r) {
            Objects.requireNonNull(r, "row");
            if (built) {
                throw new IllegalStateException("the rows are already built");
            }
            try {
                write(spill != null ? spill : memory, r);
                if (spill == null && chunk.size() >= builderChunk) {
                    startSpill();
                }
            } catch (IOException e) {
                discard();
                throw cannotSpill(e);
            }
            count++;
            return this;
        }

        public long count() {
            return count;
        }

        /** The rows added, in memory if the process's budget allows, else in a file. */
        public RejectedRows build() {
            built = true;
            if (count == 0) {
                return EMPTY;
            }
            try {
                if (spill == null) {
                    long bytes = chunk.size();
                    if (IN_MEMORY.addAndGet(bytes) <= memoryBudget) {
                        byte[] kept = Arrays.copyOf(chunk.bytes(), chunk.size());
                        Storage storage = new Storage(count, bytes, kept, null);
                        CLEANER.register(storage, () -> IN_MEMORY.addAndGet(-bytes));
                        return new RejectedRows(List.of(new Part(storage, 0)));
                    }
                    IN_MEMORY.addAndGet(-bytes);
                    startSpill();
                }
                spill.close();
                Path f = file;
                Storage storage = new Storage(count, Files.size(f), null, f);
                CLEANER.register(storage, () -> SpillFiles.delete(f));
                return new RejectedRows(List.of(new Part(storage, 0)));
            } catch (IOException e) {
                discard();
                throw cannotSpill(e);
            }
        }

        /** Drops what was gathered, file included: for a read that failed before its rows were built. */
        public void discard() {
            built = true;
            chunk.release();
            if (spill != null) {
                try {
                    spill.close();
                } catch (IOException ignored) {
                    // The file goes next, written or not.
                }
                spill = null;
            }
            if (file != null) {
                SpillFiles.delete(file);
            }
        }

        private void startSpill() throws IOException {
            file = SpillFiles.create();
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            out.write(chunk.bytes(), 0, chunk.size());
            chunk.release();
            spill = new DataOutputStream(out);
        }
    }

    /** One line for a disk that would not take the rows: where, and why in words. */
    private static UncheckedIOException cannotSpill(IOException e) {
        String why = e instanceof AccessDeniedException
                ? "permission denied"
                : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        String where = e instanceof FileSystemException fs && fs.getFile() != null
                ? fs.getFile()
                : System.getProperty("java.io.tmpdir");
        return new UncheckedIOException(
                "cannot set rejected rows aside on disk in " + where + ": " + why
                        + " (rows past 16 MiB wait in java.io.tmpdir; give it room, or point it elsewhere with "
                        + "-Djava.io.tmpdir)",
                e);
    }

    /** A growable byte buffer whose array the builder may read without a copy. */
    private static final class Chunk extends ByteArrayOutputStream {
        Chunk() {
            super(4096);
        }

        byte[] bytes() {
            return buf;
        }

        void release() {
            buf = new byte[0];
            count = 0;
        }
    }
}
