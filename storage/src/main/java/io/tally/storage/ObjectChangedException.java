package io.tally.storage;

import io.tally.core.InputFault;

/** An input object no longer has the ETag a run was planned with: it was replaced or deleted mid-run. */
public final class ObjectChangedException extends InputFault {
    /** Words every message carries, so a failure reported as text (Glue's job run message) can be told apart. */
    public static final String MARK = "was replaced or deleted while the run was reading it";

    public ObjectChangedException(String key, String etag) {
        super(
                key,
                0,
                key + " " + MARK + " (the run was planned on ETag " + etag
                        + "); upload the trackers again to start a new run");
    }
}
