package io.tally.cli.bench;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The machine's floor for the benchmark, as one cold process: maps both files and counts their newlines on
 * all cores ({@code FloorJob FILE...}), eight bytes at a time. No parsing, no sums: what reading the bytes once
 * costs here.
 */
public final class FloorJob {
    private FloorJob() {}

    private static final long SLICE = 64L << 20;

    public static void main(String[] args) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        List<Future<Long>> parts = new ArrayList<>();
        List<FileChannel> channels = new ArrayList<>();
        for (String f : args) {
            FileChannel ch = FileChannel.open(Path.of(f), StandardOpenOption.READ);
            channels.add(ch);
            long size = ch.size();
            for (long from = 0; from < size; from += SLICE) {
                long start = from;
                long len = Math.min(SLICE, size - from);
                parts.add(pool.submit(() -> count(ch, start, len)));
            }
        }
        long lines = 0;
        for (Future<Long> part : parts) {
            lines += part.get();
        }
        pool.shutdown();
        for (FileChannel ch : channels) {
            ch.close();
        }
        System.out.println(lines);
    }

    /** Newlines in a slice, eight bytes at a time (an exact zero-byte count after XOR with the newline byte). */
    private static long count(FileChannel ch, long start, long len) throws IOException {
        MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, start, len);
        long n = 0;
        int i = 0;
        int words = (int) (len & ~7L);
        for (; i < words; i += 8) {
            long x = buf.getLong(i) ^ 0x0A0A0A0A0A0A0A0AL;
            long y = (x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
            n += Long.bitCount(~(y | x | 0x7F7F7F7F7F7F7F7FL));
        }
        for (; i < len; i++) {
            if (buf.get(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
