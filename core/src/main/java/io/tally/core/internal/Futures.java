package io.tally.core.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on a worker's result and rethrowing its failure as it was thrown. */
public final class Futures {
    private Futures() {}

    public static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
