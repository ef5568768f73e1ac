package io.tally.core;

import io.tally.core.internal.Bytes;

/**
 * The secret key of the engine's hash tables (SipHash-1-3 over officer names and keys), drawn per process so
 * that no input can be crafted to collide. A process restored from a snapshot (Lambda SnapStart) would share
 * the key with every other copy of that snapshot; {@link #redraw} gives it its own.
 */
public final class HashKey {
    private HashKey() {}

    /** Draws a new key. Call only while no run is reading, such as right after a restore. */
    public static void redraw() {
        Bytes.redrawKey();
    }
}
