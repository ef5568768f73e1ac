package io.tally.storage;

/** An input object no longer has the ETag a run was planned with: it was replaced or deleted mid-run. */
public final class ObjectChangedException extends RuntimeException {
    public ObjectChangedException(String key, String etag) {
        super(key + " was replaced or deleted while the run was reading it (the run was planned on ETag "
                + etag + "); upload the trackers again to start a new run");
    }
}
