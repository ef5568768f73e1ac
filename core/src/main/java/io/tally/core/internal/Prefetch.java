package io.tally.core.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An iterator whose source runs ahead on a thread of its own, a few batches at most: the source's work (a k-way merge
 * reading runs from disk) and the caller's (rendering what it gives) then take two cores. What the source throws is
 * thrown by {@link #hasNext()} or {@link #next()} in the caller's thread; {@link #close()} stops the source's thread
 * and lets its batches go.
 */
public final class Prefetch<T> implements Iterator<T>, AutoCloseable {
    private static final int BATCHES = 4;

    /** A batch of items; the last has {@code end} set, or a failure. */
    private record Batch(Object[] items, int size, boolean end, Throwable failure) {}

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES);
    private volatile boolean closed;
    private Batch batch;
    private int at;

    /** Starts taking {@code source}'s items, {@code batchSize} at a time, on a daemon thread named {@code name}. */
    public Prefetch(Iterator<? extends T> source, int batchSize, String name) {
        Thread thread = new Thread(
                () -> {
                    try {
                        while (true) {
                            Object[] items = new Object[batchSize];
                            int n = 0;
                            while (n < batchSize && source.hasNext()) {
                                items[n++] = source.next();
                            }
                            boolean end = n < batchSize;
                            if (!put(new Batch(items, n, end, null)) || end) {
                                return;
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        put(new Batch(new Object[0], 0, true, e));
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a batch to the caller, waiting for room; false once closed. */
    private boolean put(Batch b) {
        try {
            while (!closed) {
                if (queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public boolean hasNext() {
        while (batch == null || (at == batch.size() && !batch.end())) {
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next items", e);
            }
            at = 0;
            if (batch.failure() instanceof RuntimeException re) {
                throw re;
            }
            if (batch.failure() instanceof Error err) {
                throw err;
            }
        }
        return at < batch.size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) batch.items()[at];
        batch.items()[at++] = null;
        return item;
    }

    /** Stops the source's thread once it has finished the batch it is on, and lets the batches go. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
    }
}
