package io.tally.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** Fingerprints of inputs, and SHA-256 of small values. */
public final class Digests {
    private Digests() {}

    /** The block size of {@link #fingerprint}: fixed, so the fingerprint does not depend on how a run is cut. */
    public static final int FINGERPRINT_BLOCK = 64 << 20;

    /** What {@link #fingerprint} values start with, naming the method. */
    public static final String FINGERPRINT_METHOD = "crc32c+crc32/64MiB-sha256:";

    /**
     * A file's fingerprint: CRC-32C and CRC-32 of each 64 MiB block (both computed by the CPU's own
     * instructions, about 5 GB/s a core here, four times SHA-256's speed), and the SHA-256 of the list of
     * (block length, CRC-32C, CRC-32). Any accidental change to a block changes it, except with probability
     * 2^-64; it is not a defence against someone forging a file. Blocks can be summed apart and combined.
     */
    public static String fingerprint(ByteSource source) {
        MessageDigest list = sha256();
        long size = source.size();
        try (FileChannel ch = source instanceof ByteSource.FileSource f
                ? FileChannel.open(f.path(), StandardOpenOption.READ)
                : null) {
            byte[] buf = ch == null ? new byte[1 << 20] : null;
            ByteBuffer direct = ch == null ? null : ByteBuffer.allocateDirect(1 << 20);
            long from = 0;
            do {
                long to = Math.min(size, from + FINGERPRINT_BLOCK);
                CRC32C c = new CRC32C();
                CRC32 d = new CRC32();
                if (ch != null) {
                    // Positional reads into one direct buffer: mapping would count the whole file as resident.
                    for (long at = from; at < to; ) {
                        direct.clear().limit((int) Math.min(direct.capacity(), to - at));
                        int n = ch.read(direct, at);
                        if (n < 0) {
                            throw new IOException(source.name() + " ended at byte " + at + " of " + size);
                        }
                        direct.flip();
                        c.update(direct.duplicate());
                        d.update(direct);
                        at += n;
                    }
                } else {
                    try (InputStream in = source.open(from, to)) {
                        long left = to - from;
                        while (left > 0) {
                            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                            if (n < 0) {
                                throw new IOException(source.name() + " ended at byte " + (to - left) + " of " + size);
                            }
                            c.update(buf, 0, n);
                            d.update(buf, 0, n);
                            left -= n;
                        }
                    }
                }
                list.update(
                        (to - from + ":" + Long.toHexString(c.getValue()) + ":" + Long.toHexString(d.getValue()) + ";")
                                .getBytes(StandardCharsets.US_ASCII));
                from = to;
            } while (from < size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.name(), e);
        }
        return FINGERPRINT_METHOD + HexFormat.of().formatHex(list.digest());
    }

    public static String sha256Hex(ByteSource source) {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = source.open(0, source.size())) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.name(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
