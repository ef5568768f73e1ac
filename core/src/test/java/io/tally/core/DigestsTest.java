package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {

    @Test
    void theFingerprint_namesItsMethod_andDependsOnlyOnTheBytes() {
        byte[] bytes = "DATE,PURCHASE OFFICER NAME\n2024-01-01,Ada\n".getBytes(StandardCharsets.UTF_8);
        String a = Digests.fingerprint(ByteSource.of("a.csv", bytes));
        assertThat(a).startsWith(Digests.FINGERPRINT_METHOD).hasSize(Digests.FINGERPRINT_METHOD.length() + 64);
        assertThat(Digests.fingerprint(ByteSource.of("other-name.csv", bytes.clone())))
                .isEqualTo(a);
        assertThat(Digests.fingerprint(ByteSource.of("empty.csv", new byte[0])))
                .startsWith(Digests.FINGERPRINT_METHOD)
                .isNotEqualTo(a);
    }

    @Test
    void aFile_mapped_andTheSameBytesStreamed_giveTheSameFingerprint(@TempDir Path tmp) throws Exception {
        for (int size : new int[] {0, 1, Digests.FINGERPRINT_BLOCK, Digests.FINGERPRINT_BLOCK * 2 + 3}) {
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            Path file = Files.write(tmp.resolve("f" + size), bytes);
            assertThat(Digests.fingerprint(ByteSource.of(file)))
                    .as("%d bytes", size)
                    .isEqualTo(Digests.fingerprint(ByteSource.of("f", bytes)));
        }
    }

    @Test
    void anyChangedByte_inAnyBlock_changesTheFingerprint_andSoDoesMovingBytesBetweenBlocks() {
        byte[] bytes = new byte[Digests.FINGERPRINT_BLOCK + 1000];
        new Random(7).nextBytes(bytes);
        String original = Digests.fingerprint(ByteSource.of("big.csv", bytes));
        for (int at :
                new int[] {0, 12_345, Digests.FINGERPRINT_BLOCK - 1, Digests.FINGERPRINT_BLOCK, bytes.length - 1}) {
            byte[] changed = bytes.clone();
            changed[at] ^= 1;
            assertThat(Digests.fingerprint(ByteSource.of("big.csv", changed)))
                    .as("byte %d", at)
                    .isNotEqualTo(original);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThat(Digests.fingerprint(ByteSource.of("big.csv", longer))).isNotEqualTo(original);
        assertThat(Digests.fingerprint(ByteSource.of("big.csv", bytes))).isEqualTo(original);
    }
}
