package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.internal.Bytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A process restored from a snapshot draws its own hash key: the same text then hashes differently. */
class HashKeyTest {
    @Test
    void redraw_changesEveryKeyedHash() {
        byte[] name = "Ada Obi".getBytes(StandardCharsets.UTF_8);
        long before = Bytes.keyedHash(name, 0, name.length);
        long mixed = Bytes.keyedMix(42);
        assertThat(Bytes.keyedHash(name, 0, name.length)).isEqualTo(before);
        HashKey.redraw();
        assertThat(Bytes.keyedHash(name, 0, name.length)).isNotEqualTo(before);
        assertThat(Bytes.keyedMix(42)).isNotEqualTo(mixed);
    }
}
