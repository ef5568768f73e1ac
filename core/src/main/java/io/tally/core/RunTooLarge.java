package io.tally.core;

/**
 * A run that ran out of memory, with what it held ({@link MemoryUse#describe()}), so the one line the user sees
 * names the input's shape that filled the heap.
 */
public final class RunTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunTooLarge(MemoryUse held, OutOfMemoryError cause) {
        super(held.describe(), cause);
    }

    /** What the run held when memory ran out: {@code 2,000 (date, officer) keys, ...}. */
    public String held() {
        return getMessage();
    }
}
