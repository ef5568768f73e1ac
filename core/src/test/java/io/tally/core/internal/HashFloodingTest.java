package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The attack the issue describes: names crafted so that an unkeyed hash gives all of them one value. Built
 * here by running the old hash backwards, they must spread under the keyed hash, and the dictionary must
 * keep them apart.
 */
class HashFloodingTest {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long C = 0xC2B2AE3D27D4EB4FL;

    /** Tally's former, unkeyed hash of a 24-byte slice. */
    private static long oldHash24(byte[] a) {
        long h = 0x9E3779B97F4A7C15L * 25;
        h = mix(h ^ (long) LONGS.get(a, 0));
        h = mix(h ^ (long) LONGS.get(a, 8));
        return mix(h ^ (long) LONGS.get(a, 16) ^ C);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    private static long unmix(long z) {
        z ^= z >>> 33;
        z *= inverse(0xC4CEB9FE1A85EC53L);
        z ^= z >>> 33;
        z *= inverse(0xFF51AFD7ED558CCDL);
        return z ^ (z >>> 33);
    }

    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    private static boolean nameByte(long b) {
        return b > ' ' && b < 0x7f && b != ',' && b != '"';
    }

    /** 24-byte printable names (no space, comma or quote) that all have old hash {@code target}. */
    private static List<byte[]> collidingNames(int count, long target) {
        List<byte[]> names = new ArrayList<>();
        long want = unmix(target) ^ C;
        for (long n = 0; names.size() < count; n++) {
            byte[] a = new byte[24];
            long x = n;
            for (int i = 0; i < 16; i++) {
                a[i] = (byte) ('a' + x % 26);
                x /= 26;
            }
            long h = mix(0x9E3779B97F4A7C15L * 25 ^ (long) LONGS.get(a, 0));
            h = mix(h ^ (long) LONGS.get(a, 8));
            long w2 = want ^ h;
            boolean ok = true;
            for (int i = 0; i < 8 && ok; i++) {
                ok = nameByte((w2 >>> (8 * i)) & 0xff);
            }
            if (ok) {
                LONGS.set(a, 16, w2);
                names.add(a);
            }
        }
        return names;
    }

    @Test
    void namesCraftedToCollide_spreadUnderTheKeyedHash_andStayDistinct() {
        List<byte[]> names = collidingNames(3_000, 0x1234_5678_9ABC_DEF0L);
        Set<Long> old = new HashSet<>();
        Set<Integer> keyedBuckets = new HashSet<>();
        for (byte[] name : names) {
            old.add(oldHash24(name));
            keyedBuckets.add((int) Bytes.keyedHash(name, 0, name.length) & 0xFFFF);
        }
        assertThat(old).as("the crafted names all collide under the old hash").hasSize(1);
        // 3,000 names in 65,536 buckets: a uniform hash leaves about 2,930 distinct buckets.
        assertThat(keyedBuckets.size()).isGreaterThan(2_800);

        OfficerDictionary dictionary = new OfficerDictionary();
        Set<Integer> ids = new HashSet<>();
        for (byte[] name : names) {
            ids.add(dictionary.idOf(name, 0, name.length));
        }
        Set<String> distinctTitles = new HashSet<>();
        for (byte[] name : names) {
            distinctTitles.add(Names.titleCase(new String(name, StandardCharsets.UTF_8)));
        }
        assertThat(ids).hasSize(distinctTitles.size());
    }

    @Test
    void keyedMix_spreadsKeysThatDifferOnlyInHighBits() {
        Set<Integer> buckets = new HashSet<>();
        for (long day = 0; day < 3_000; day++) {
            buckets.add((int) Bytes.keyedMix(KeyTable.key((int) (day << 16), 0)) & 0xFFFF);
        }
        assertThat(buckets.size()).isGreaterThan(2_800);
    }
}
