package io.tally.storage;

import io.tally.core.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * A tracker in S3 as core's {@link ByteSource}: ranged GETs pinned to one ETag, so a file replaced mid-run
 * fails loudly instead of mixing versions. A stream fetches {@code [from, toHint)} first and, only if the
 * reader wants more, the next chunks.
 */
public final class S3ByteSource implements ByteSource {
    private static final long NEXT_CHUNK = 4L << 20;

    private final ObjectStore store;
    private final String key;
    private final String etag;
    private final long size;

    public S3ByteSource(ObjectStore store, String key, String etag, long size) {
        this.store = store;
        this.key = key;
        this.etag = etag;
        this.size = size;
    }

    @Override
    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long from, long toHint) {
        return new ChunkedStream(from, Math.max(from + 1, Math.min(size, toHint)));
    }

    /** Reads ranged GETs one after another, as far as the reader goes. */
    private final class ChunkedStream extends InputStream {
        private long next;
        private long chunkEnd;
        private InputStream current;

        ChunkedStream(long from, long firstEnd) {
            this.next = from;
            this.chunkEnd = firstEnd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (next >= size) {
                    return -1;
                }
                if (current == null) {
                    current = store.getRange(key, etag, next, chunkEnd);
                }
                int n = current.read(b, off, (int) Math.min(len, chunkEnd - next));
                if (n > 0) {
                    next += n;
                    return n;
                }
                current.close();
                current = null;
                if (next < chunkEnd) {
                    throw new IOException("S3 returned fewer bytes than asked for " + key + " at " + next);
                }
                chunkEnd = Math.min(size, next + NEXT_CHUNK);
            }
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                if (next < chunkEnd && current instanceof ResponseInputStream<?> r) {
                    r.abort(); // stop the download instead of draining the rest of the range
                }
                current.close();
                current = null;
            }
        }
    }
}
