package io.tally.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a tracker's bytes come from: a local file, an S3 object, a byte array in a test. The engine only
 * ever asks for a stream from an offset, so every executor reads the same bytes the same way.
 */
public interface ByteSource {

    /** The name reports show as the rejected rows' {@code source}: the file's base name. */
    String name();

    long size();

    /**
     * Opens a stream of the bytes from {@code from} (inclusive) towards {@code toHint} (exclusive). The
     * stream may run past {@code toHint}, up to the end; readers stop when they have what they need.
     */
    InputStream open(long from, long toHint) throws IOException;

    static ByteSource of(Path file) {
        return new FileSource(file);
    }

    static ByteSource of(String name, byte[] bytes) {
        return new BytesSource(name, bytes);
    }

    /** A local file read through positional channel reads. */
    record FileSource(Path path) implements ByteSource {
        @Override
        public String name() {
            return path.getFileName().toString();
        }

        @Override
        public long size() {
            try {
                return Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }

        @Override
        public InputStream open(long from, long toHint) throws IOException {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            ch.position(from);
            return Channels.newInputStream(ch);
        }
    }

    /** Bytes held in memory, for tests and small inputs. */
    record BytesSource(String name, byte[] bytes) implements ByteSource {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open(long from, long toHint) {
            int start = (int) Math.min(from, bytes.length);
            return new ByteArrayInputStream(bytes, start, bytes.length - start);
        }
    }
}
