// Does the JDK Vector API pay for finding delimiter positions? Run by scripts/benchmark-vector, or directly:
//   java -Xmx2g --add-modules jdk.incubator.vector [-cp core/target/classes] scripts/VectorScan.java FILE [MB]
// One thread. FILE (or its first MB megabytes) is read into one byte[] before timing, so reading is not measured.
// Every method finds the position of every ',' '\n' '"' '\r' byte and consumes it (count + sum of positions);
// all must agree with the byte loop on every pass or the program exits 1. 3 warm-up and 5 measured passes,
// methods alternating within each pass; prints the median MB/s and min-max as markdown table rows.
// With io.tally.core.internal.RecordScanner on the class path it also times Tally's scanner (records, fields).

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

public class VectorScan {
    static final int WARMUP = 3;
    static final int MEASURED = 5;

    /** A scan returns the sum of delimiter positions and leaves their number in {@code count}. */
    interface Scan {
        long run(byte[] a, long[] count);
    }

    record Method(String name, Scan scan) {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: VectorScan FILE [MB]");
            System.exit(2);
        }
        byte[] a = read(args[0], args.length > 1 ? Long.parseLong(args[1]) << 20 : Integer.MAX_VALUE - 64);
        String jdk = "Java " + Runtime.version();

        List<Method> methods = new ArrayList<>();
        methods.add(new Method("byte loop", VectorScan::byteLoop));
        methods.add(new Method("SWAR longs + tzcnt", VectorScan::swar));
        List<VectorSpecies<Byte>> species = new ArrayList<>(List.of(ByteVector.SPECIES_256));
        if (ByteVector.SPECIES_PREFERRED.vectorBitSize() != 256) {
            species.add(ByteVector.SPECIES_PREFERRED);
        }
        for (VectorSpecies<Byte> s : species) {
            String b = s.vectorBitSize() + "";
            methods.add(new Method("Vector" + b + " mask.toLong + tzcnt", s.length() == 32 ? VectorScan::toLong256 : VectorScan::toLong512));
            methods.add(new Method("Vector" + b + " mask.firstTrue loop", s.length() == 32 ? VectorScan::firstTrue256 : VectorScan::firstTrue512));
            methods.add(new Method("Vector" + b + " mask.toVector as longs + tzcnt", s.length() == 32 ? VectorScan::asLongs256 : VectorScan::asLongs512));
            methods.add(new Method("Vector" + b + " SWAR on LongVector (no masks) + tzcnt", s.length() == 32 ? VectorScan::swarVector256 : VectorScan::swarVector512));
        }
        boolean tally = NEW_SCANNER != null;
        if (tally) {
            methods.add(new Method("Tally RecordScanner (records+fields, for reference)", VectorScan::tally));
        }

        int n = methods.size();
        double[][] mbs = new double[n][MEASURED];
        long[] counts = new long[n];
        long[] sums = new long[n];
        long[] count = new long[1];
        for (int pass = 0; pass < WARMUP + MEASURED; pass++) {
            for (int m = 0; m < n; m++) {
                // Rotate the start so no method always runs right after the same one.
                int k = (m + pass) % n;
                long t0 = System.nanoTime();
                long sum = methods.get(k).scan().run(a, count);
                long t1 = System.nanoTime();
                if (pass == 0) {
                    counts[k] = count[0];
                    sums[k] = sum;
                } else if (counts[k] != count[0] || sums[k] != sum) {
                    fail(methods.get(k).name() + " changed its answer on pass " + pass);
                }
                if (pass >= WARMUP) {
                    mbs[k][pass - WARMUP] = a.length / 1e6 / ((t1 - t0) / 1e9);
                }
            }
        }
        for (int m = 1; m < n; m++) {
            boolean reference = methods.get(m).name().startsWith("Tally");
            if (!reference && (counts[m] != counts[0] || sums[m] != sums[0])) {
                fail(methods.get(m).name() + " found " + counts[m] + " positions summing to " + sums[m]
                        + ", the byte loop " + counts[0] + " summing to " + sums[0]);
            }
        }
        System.err.printf("%s: %,d bytes, %,d delimiters, position sum %d: all %d position methods agree%n",
                jdk, a.length, counts[0], sums[0], n - (tally ? 1 : 0));
        for (int m = 0; m < n; m++) {
            double[] r = mbs[m].clone();
            Arrays.sort(r);
            String check = methods.get(m).name().startsWith("Tally")
                    ? "fields " + counts[m] + ", records " + sums[m]
                    : counts[m] + " / " + sums[m];
            System.out.printf("| %s | %s | %,.0f | %,.0f–%,.0f | %s |%n", jdk, methods.get(m).name(), r[MEASURED / 2],
                    r[0], r[MEASURED - 1], check);
        }
    }

    static void fail(String message) {
        System.err.println("FAIL: " + message);
        System.exit(1);
    }

    static byte[] read(String file, long max) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
            byte[] a = new byte[(int) Math.min(f.length(), max)];
            f.readFully(a);
            return a;
        }
    }

    // 1. Plain byte loop.
    static long byteLoop(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        for (int i = 0; i < a.length; i++) {
            byte c = a[i];
            if (c == ',' || c == '\n' || c == '"' || c == '\r') {
                cnt++;
                sum += i;
            }
        }
        count[0] = cnt;
        return sum;
    }

    // 2. SWAR, 8 bytes in a long, as RecordScanner does. RecordScanner's (x - 0x01..) & ~x & 0x80.. is exact only
    // for the lowest zero byte (a borrow can flag a 0x01 byte above it, e.g. '-' after ','), which is all it needs;
    // to iterate every hit this uses the exact form: byte k of y is zero iff bit 8k+7 of ((y & 0x7f..) + 0x7f..) | y is 0.
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long LOWS = 0x7f7f7f7f7f7f7f7fL;
    static final long HIGHS = 0x8080808080808080L;
    static final long COMMAS = ',' * ONES;
    static final long LFS = '\n' * ONES;
    static final long QUOTES = '"' * ONES;
    static final long CRS = '\r' * ONES;

    static long nonZero(long y) {
        return ((y & LOWS) + LOWS) | y;
    }

    static long swar(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        for (; i + 8 <= a.length; i += 8) {
            long w = (long) LONGS.get(a, i);
            long hits = ~(nonZero(w ^ COMMAS) & nonZero(w ^ LFS) & nonZero(w ^ QUOTES) & nonZero(w ^ CRS)) & HIGHS;
            while (hits != 0) {
                cnt++;
                sum += i + (Long.numberOfTrailingZeros(hits) >>> 3);
                hits &= hits - 1;
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    static long tail(byte[] a, int i, long sum, long cnt, long[] count) {
        for (; i < a.length; i++) {
            byte c = a[i];
            if (c == ',' || c == '\n' || c == '"' || c == '\r') {
                cnt++;
                sum += i;
            }
        }
        count[0] = cnt;
        return sum;
    }

    // 3-5 are written once per species with the species a constant, which the JIT needs to intrinsify.
    static final VectorSpecies<Byte> S256 = ByteVector.SPECIES_256;
    static final VectorSpecies<Byte> S512 = ByteVector.SPECIES_512;

    // One helper per species: a helper shared by both sees two vector classes in its profile, and then C2
    // keeps the vectors boxed (measured here: 6-10x slower on 25).
    static VectorMask<Byte> delimiters256(ByteVector v) {
        return v.eq((byte) ',').or(v.eq((byte) '\n')).or(v.eq((byte) '"')).or(v.eq((byte) '\r'));
    }

    static VectorMask<Byte> delimiters512(ByteVector v) {
        return v.eq((byte) ',').or(v.eq((byte) '\n')).or(v.eq((byte) '"')).or(v.eq((byte) '\r'));
    }

    // 3. Compare to each delimiter, OR the masks, mask.toLong(), iterate the bits.
    static long toLong256(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        for (int bound = S256.loopBound(a.length); i < bound; i += 32) {
            long bits = delimiters256(ByteVector.fromArray(S256, a, i)).toLong();
            while (bits != 0) {
                cnt++;
                sum += i + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    static long toLong512(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        for (int bound = S512.loopBound(a.length); i < bound; i += 64) {
            long bits = delimiters512(ByteVector.fromArray(S512, a, i)).toLong();
            while (bits != 0) {
                cnt++;
                sum += i + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    // 4. Stay in the mask: firstTrue(), then clear lanes up to it with an iota compare, until no lane is left.
    static final ByteVector IOTA256 = (ByteVector) S256.iotaShuffle(0, 1, false).toVector();
    static final ByteVector IOTA512 = (ByteVector) S512.iotaShuffle(0, 1, false).toVector();

    static long firstTrue256(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        for (int bound = S256.loopBound(a.length); i < bound; i += 32) {
            VectorMask<Byte> m = delimiters256(ByteVector.fromArray(S256, a, i));
            while (m.anyTrue()) {
                int k = m.firstTrue();
                cnt++;
                sum += i + k;
                m = m.and(IOTA256.compare(VectorOperators.GT, (byte) k));
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    static long firstTrue512(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        for (int bound = S512.loopBound(a.length); i < bound; i += 64) {
            VectorMask<Byte> m = delimiters512(ByteVector.fromArray(S512, a, i));
            while (m.anyTrue()) {
                int k = m.firstTrue();
                cnt++;
                sum += i + k;
                m = m.and(IOTA512.compare(VectorOperators.GT, (byte) k));
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    // 5. Avoid toLong(): the mask as a vector of 0/-1 bytes, reinterpreted as longs, iterated SWAR-style.
    static long asLongs256(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        for (int bound = S256.loopBound(a.length); i < bound; i += 32) {
            LongVector l = delimiters256(ByteVector.fromArray(S256, a, i)).toVector().reinterpretAsLongs();
            for (int j = 0; j < 4; j++) {
                long hits = l.lane(j) & HIGHS;
                while (hits != 0) {
                    cnt++;
                    sum += i + 8 * j + (Long.numberOfTrailingZeros(hits) >>> 3);
                    hits &= hits - 1;
                }
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    static long asLongs512(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        long[] lanes = new long[8];
        for (int bound = S512.loopBound(a.length); i < bound; i += 64) {
            delimiters512(ByteVector.fromArray(S512, a, i)).toVector().reinterpretAsLongs().intoArray(lanes, 0);
            for (int j = 0; j < 8; j++) {
                long hits = lanes[j] & HIGHS;
                while (hits != 0) {
                    cnt++;
                    sum += i + 8 * j + (Long.numberOfTrailingZeros(hits) >>> 3);
                    hits &= hits - 1;
                }
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    // 6. No masks at all: RecordScanner's SWAR arithmetic on 4 (8) longs per vector, then the longs iterated.
    static long swarVector256(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        long[] lanes = new long[4];
        for (int bound = S256.loopBound(a.length); i < bound; i += 32) {
            LongVector w = ByteVector.fromArray(S256, a, i).reinterpretAsLongs();
            nonZero(w.lanewise(VectorOperators.XOR, COMMAS)).and(nonZero(w.lanewise(VectorOperators.XOR, LFS)))
                    .and(nonZero(w.lanewise(VectorOperators.XOR, QUOTES)))
                    .and(nonZero(w.lanewise(VectorOperators.XOR, CRS)))
                    .lanewise(VectorOperators.NOT).and(HIGHS).intoArray(lanes, 0);
            for (int j = 0; j < 4; j++) {
                long hits = lanes[j];
                while (hits != 0) {
                    cnt++;
                    sum += i + 8 * j + (Long.numberOfTrailingZeros(hits) >>> 3);
                    hits &= hits - 1;
                }
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    static long swarVector512(byte[] a, long[] count) {
        long sum = 0;
        long cnt = 0;
        int i = 0;
        long[] lanes = new long[8];
        for (int bound = S512.loopBound(a.length); i < bound; i += 64) {
            LongVector w = ByteVector.fromArray(S512, a, i).reinterpretAsLongs();
            nonZero512(w.lanewise(VectorOperators.XOR, COMMAS)).and(nonZero512(w.lanewise(VectorOperators.XOR, LFS)))
                    .and(nonZero512(w.lanewise(VectorOperators.XOR, QUOTES)))
                    .and(nonZero512(w.lanewise(VectorOperators.XOR, CRS)))
                    .lanewise(VectorOperators.NOT).and(HIGHS).intoArray(lanes, 0);
            for (int j = 0; j < 8; j++) {
                long hits = lanes[j];
                while (hits != 0) {
                    cnt++;
                    sum += i + 8 * j + (Long.numberOfTrailingZeros(hits) >>> 3);
                    hits &= hits - 1;
                }
            }
        }
        return tail(a, i, sum, cnt, count);
    }

    static LongVector nonZero(LongVector y) {
        return y.and(LOWS).add(LOWS).or(y);
    }

    static LongVector nonZero512(LongVector y) {
        return y.and(LOWS).add(LOWS).or(y);
    }

    // Reference: Tally's scanner over the same bytes (from memory, through its 2 MiB buffer), found by reflection
    // so this file runs without core/target/classes; static final handles so the JIT inlines them.
    // Returns records; leaves fields in count.
    static final MethodHandle NEW_SCANNER;
    static final MethodHandle NEXT;
    static final MethodHandle FIELD_COUNT;

    static {
        MethodHandle create = null;
        MethodHandle next = null;
        MethodHandle fields = null;
        try {
            Class<?> c = Class.forName("io.tally.core.internal.RecordScanner");
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            create = l.findConstructor(c, MethodType.methodType(void.class, InputStream.class, long.class))
                    .asType(MethodType.methodType(Object.class, InputStream.class, long.class));
            next = l.findVirtual(c, "next", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            fields = l.findVirtual(c, "fieldCount", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("(no io.tally.core.internal.RecordScanner on the class path: skipping it)");
        }
        NEW_SCANNER = create;
        NEXT = next;
        FIELD_COUNT = fields;
    }

    static long tally(byte[] a, long[] count) {
        try {
            Object s = (Object) NEW_SCANNER.invokeExact((InputStream) new ByteArrayInputStream(a), 0L);
            long records = 0;
            long fields = 0;
            while ((boolean) NEXT.invokeExact(s)) {
                records++;
                fields += (int) FIELD_COUNT.invokeExact(s);
            }
            count[0] = fields;
            return records;
        } catch (Throwable e) {
            throw new RuntimeException(e);
        }
    }
}
