package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTextTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "=SUM(A1)|'=SUM(A1)",
                "+cmd|'+cmd",
                "-x|'-x",
                "@foo|'@foo",
                "`\tcmd`|`'\tcmd`",
                "-12.5|-12.5",
                "+.5|+.5",
                "plain|plain",
                "`a,b`|`\"a,b\"`",
                "`=a,b`|`\"'=a,b\"`",
            })
    void cell_defusesFormulaLikeText_andQuotesOnlyWhereNeeded(String text, String written) {
        StringBuilder sb = new StringBuilder();
        CsvText.cell(sb, text);
        assertThat(sb.toString()).isEqualTo(written);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {"`\rcmd`|`\"'\rcmd\"`", "`\r\n`|`\"'\r\n\"`"})
    void cell_aLeadingCarriageReturn_isDefusedAndQuoted(String text, String written) {
        StringBuilder sb = new StringBuilder();
        CsvText.cell(sb, text);
        assertThat(sb.toString()).isEqualTo(written);
    }
}
