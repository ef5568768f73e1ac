package io.tally.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The per-invoice sums of a run's flagged keys, as sorted runs: small ones in memory, the rest in temporary
 * files ({@link SpillFiles}), and small ones too once {@link #memoryLines} lines are held in memory. {@link #merged()} merges them in the report's order, adding up the lines of the
 * same (date, officer, invoice) from every range and both trackers, with at most {@link #MAX_OPEN} runs open at
 * once (more are first merged into longer runs on disk). Memory holds the runs kept in memory (a few lines a
 * range) and one buffered line per open run, whatever the number of flagged rows. Closing deletes the files.
 */
public final class Invoices implements Closeable {
    /** Runs merged at once; each holds a read buffer of {@link #BUFFER} bytes. */
    static final int MAX_OPEN = 256;

    private static final int BUFFER = 1 << 15;
    /** Lines all runs kept in memory may hold together; more go to disk. Tests lower it. */
    static volatile long memoryLines = 32_768;

    private final List<List<InvoiceLine>> memoryRuns = new ArrayList<>();
    private final List<Path> fileRuns = new ArrayList<>();
    private long linesInMemory;
    private long linesOnDisk;
    private long bytesOnDisk;
    private long bytesReadAgain;
    private boolean closed;

    /** No flagged keys: {@code invoices.csv} is its header only. */
    public static Invoices none() {
        return new Invoices();
    }

    /** An empty set, to which sorted runs are added ({@link #addRun}). */
    public Invoices() {}

    /** Adds a sorted run of lines, in memory or on disk. */
    synchronized void add(List<InvoiceLine> sorted, boolean toDisk) {
        if (closed) {
            throw new IllegalStateException("invoices closed");
        }
        if (!toDisk && linesInMemory + sorted.size() <= memoryLines) {
            memoryRuns.add(sorted);
            linesInMemory += sorted.size();
            return;
        }
        fileRuns.add(write(sorted.iterator()));
    }

    /** Writes a sorted run of lines, in {@link InvoiceLine#write}'s form, and returns how many it wrote. */
    @FunctionalInterface
    interface RunWriter {
        long write(DataOutputStream out) throws IOException;
    }

    /** Adds a sorted run that {@code writer} writes, to a temporary file; other runs may be added meanwhile. */
    void addRun(RunWriter writer) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("invoices closed");
            }
        }
        Path file = null;
        try {
            file = SpillFiles.create("invoices-", ".run");
            long n;
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER))) {
                n = writer.write(out);
            }
            long bytes = Files.size(file);
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("invoices closed");
                }
                fileRuns.add(file);
                linesOnDisk += n;
                bytesOnDisk += bytes;
            }
        } catch (IOException e) {
            if (file != null) {
                SpillFiles.delete(file);
            }
            throw new UncheckedIOException("cannot set invoice lines aside on disk", e);
        } catch (RuntimeException | Error e) {
            if (file != null) {
                SpillFiles.delete(file);
            }
            throw e;
        }
    }

    /**
     * Adds a sorted run {@link #writeTo} wrote (a worker's or a Spark task's share of the second pass), copied to
     * a temporary file.
     */
    public void addRun(InputStream encoded) throws IOException {
        DataInputStream in = new DataInputStream(encoded);
        if (in.readInt() != MAGIC) {
            throw new IllegalArgumentException("not a run of invoice lines");
        }
        Path file = SpillFiles.create("invoices-", ".run");
        try {
            long bytes;
            try (OutputStream out = Files.newOutputStream(file)) {
                bytes = in.transferTo(out);
            }
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("invoices closed");
                }
                fileRuns.add(file);
                bytesOnDisk += bytes;
            }
        } catch (IOException | RuntimeException e) {
            SpillFiles.delete(file);
            throw e;
        }
    }

    /** Writes every line, merged in report order, as one run {@link #addRun} reads. */
    public void writeTo(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, BUFFER));
        data.writeInt(MAGIC);
        Iterator<InvoiceLine> lines = merged();
        while (lines.hasNext()) {
            lines.next().write(data);
        }
        data.flush();
    }

    private static final int MAGIC = 0x54495631; // "TIV1"

    /** Bytes of the trackers the second pass read again: the stretches that hold the flagged keys' rows. */
    public synchronized long bytesReadAgain() {
        return bytesReadAgain;
    }

    synchronized void readAgain(long bytes) {
        bytesReadAgain += bytes;
    }

    /** Lines set aside on disk so far (a line may be counted again when runs are merged on disk). */
    public synchronized long linesOnDisk() {
        return linesOnDisk;
    }

    /** Bytes written to disk so far. */
    public synchronized long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** How many runs are on disk now. */
    synchronized int filesOnDisk() {
        return fileRuns.size();
    }

    private Path write(Iterator<InvoiceLine> lines) {
        Path file = null;
        try {
            file = SpillFiles.create("invoices-", ".run");
            long n = 0;
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER))) {
                while (lines.hasNext()) {
                    lines.next().write(out);
                    n++;
                }
            }
            linesOnDisk += n;
            bytesOnDisk += Files.size(file);
            return file;
        } catch (IOException e) {
            if (file != null) {
                SpillFiles.delete(file);
            }
            throw new UncheckedIOException("cannot set invoice lines aside on disk", e);
        }
    }

    /**
     * Every line in the report's order, each (date, officer, invoice) once with both trackers' sums. Runs on disk
     * beyond {@link #MAX_OPEN} are first merged into longer ones. The iterator holds its files open until it ends
     * or {@link #close()} is called.
     */
    synchronized Iterator<InvoiceLine> merged() {
        while (fileRuns.size() + memoryRuns.size() > MAX_OPEN && fileRuns.size() > 1) {
            List<Path> group = new ArrayList<>(fileRuns.subList(0, Math.min(MAX_OPEN, fileRuns.size())));
            Merge m = new Merge(List.of(), group);
            Path longer;
            try {
                longer = write(m);
            } finally {
                m.close();
            }
            fileRuns.removeAll(group);
            group.forEach(SpillFiles::delete);
            fileRuns.add(longer);
        }
        return new Merge(memoryRuns, fileRuns);
    }

    @Override
    public synchronized void close() {
        closed = true;
        fileRuns.forEach(SpillFiles::delete);
        fileRuns.clear();
        memoryRuns.clear();
        linesInMemory = 0;
    }

    /** One sorted run being read. */
    private static final class Cursor {
        final Iterator<InvoiceLine> memory;
        final DataInputStream file;
        InvoiceLine head;

        Cursor(Iterator<InvoiceLine> memory, DataInputStream file) {
            this.memory = memory;
            this.file = file;
        }

        boolean advance() {
            try {
                if (memory != null) {
                    head = memory.hasNext() ? memory.next() : null;
                } else {
                    head = InvoiceLine.read(file, head);
                }
                return head != null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read invoice lines set aside on disk", e);
            }
        }

        void close() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // A temporary file; it is deleted anyway.
                }
            }
        }
    }

    /** The k-way merge of sorted runs, adding up equal lines. */
    private static final class Merge implements Iterator<InvoiceLine> {
        private final PriorityQueue<Cursor> queue =
                new PriorityQueue<>((a, b) -> InvoiceLine.ORDER.compare(a.head, b.head));
        private final List<Cursor> all = new ArrayList<>();

        Merge(List<List<InvoiceLine>> memoryRuns, List<Path> fileRuns) {
            try {
                for (List<InvoiceLine> run : memoryRuns) {
                    all.add(new Cursor(run.iterator(), null));
                }
                for (Path f : fileRuns) {
                    all.add(new Cursor(
                            null, new DataInputStream(new BufferedInputStream(Files.newInputStream(f), BUFFER))));
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot read invoice lines set aside on disk", e);
            }
            for (Cursor c : all) {
                if (c.advance()) {
                    queue.add(c);
                } else {
                    c.close();
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !queue.isEmpty();
        }

        @Override
        public InvoiceLine next() {
            if (queue.isEmpty()) {
                throw new NoSuchElementException();
            }
            InvoiceLine line = take();
            while (!queue.isEmpty() && InvoiceLine.ORDER.compare(queue.peek().head, line) == 0) {
                line.absorb(take());
            }
            return line;
        }

        private InvoiceLine take() {
            Cursor c = queue.poll();
            InvoiceLine line = c.head;
            if (c.advance()) {
                queue.add(c);
            } else {
                c.close();
            }
            return line;
        }

        void close() {
            all.forEach(Cursor::close);
        }
    }
}
