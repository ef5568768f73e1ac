package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {
    @ParameterizedTest(name = "''{0}'' is ''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "'  ADA   obi '|Ada Obi",
                "o'NEIL|O'neil",
                "mary-JANE smith|Mary-jane Smith",
                "ÉLODIE|Élodie",
                "straße|Straße",
                "'a\tb'|A B",
                "=SUM(A1)|=sum(a1)",
                "''|''",
                "𝐀bc|𝐀bc"
            })
    void titleCase_followsDataMd(String raw, String expected) {
        assertThat(Names.titleCase(raw)).isEqualTo(expected);
    }
}
