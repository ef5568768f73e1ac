package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TyposTest {
    @ParameterizedTest
    @CsvSource({
        "Dayo Bello, Dayo Bello, 0",
        "Dayo Bello, Dayo Belo, 1",
        "Dayo Bello, Dayo Blelo, 1",
        "Dayo Bello, Dayo Bwlo, 2",
        "Dayo Bello, Dyao Belo, 2",
        "Dayo Bello, Day Bel, 3",
        "ab, ba, 1",
        "ca, abc, 3",
        "Ada, Adaeze, 3",
        "'', ab, 2",
    })
    void distance_isTheOptimalStringAlignmentDistance_cappedAboveTwo(String a, String b, int want) {
        assertThat(Typos.distance(a.codePoints().toArray(), b, 2)).isEqualTo(want);
    }

    @Test
    void distance_countsCodePoints_notChars() {
        String a = "Ad\uD83D\uDE00a";
        assertThat(Typos.distance(a.codePoints().toArray(), "Ada", 2)).isEqualTo(1);
        assertThat(Typos.distance(a.codePoints().toArray(), "Ad\uD83D\uDE01a", 2))
                .isEqualTo(1);
    }
}
