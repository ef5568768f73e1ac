package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumbersTest {
    private final Numbers numbers = new Numbers();

    @ParameterizedTest(name = "weight ''{0}'' is {1} thousandths")
    @CsvSource(
            delimiter = '|',
            value = {
                "12.5|12500",
                "12.5kg|12500",
                "12.5 kg|12500",
                "12.5 KG|12500",
                "  7  |7000",
                "1,234.5|1234500",
                "1,234,567|1234567000",
                "0.0005|0",
                "0.0015|2",
                "12.3465|12346",
                "12.3475|12348",
                "12.34651|12347",
                "12.3464999|12346",
                ".5|500",
                "5.|5000",
                "+3|3000",
                "-0|0",
                "-0.000|0",
                "999999999999999|999999999999999000"
            })
    void parseMilli_acceptsDataMdForms(String text, long milli) {
        assertThat(parseMilli(text)).isEqualTo(Numbers.Outcome.OK);
        assertThat(numbers.value()).isEqualTo(milli);
    }

    @ParameterizedTest(name = "weight ''{0}'' is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''|EMPTY",
                "'   '|EMPTY",
                "-1|NEGATIVE",
                "-0.0004|NEGATIVE",
                "- 5|BAD",
                "12,5|BAD",
                "1,2345.5|BAD",
                ",123|BAD",
                "1.2.3|BAD",
                "kg|BAD",
                "1e3|BAD",
                "12 lb|BAD",
                "(5)|BAD",
                "abc|BAD",
                ".|BAD",
                "1234567890123456|BAD",
                "1 000|BAD",
                "12kgkg|BAD"
            })
    void parseMilli_rejectsEverythingElse(String text, Numbers.Outcome outcome) {
        assertThat(parseMilli(text)).isEqualTo(outcome);
    }

    @ParameterizedTest(name = "birds ''{0}'' is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "12|OK",
                "12.0|OK",
                "1,200|OK",
                "12.5|BAD",
                "12.000001|BAD",
                "-2|NEGATIVE",
                "-12.5|NEGATIVE",
                "''|EMPTY",
                "ten|BAD"
            })
    void parseWhole_needsAWholeNumber(String text, Numbers.Outcome outcome) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertThat(numbers.parseWhole(b, 0, b.length)).isEqualTo(outcome);
    }

    @ParameterizedTest(name = "{0} thousandths print as {1}")
    @CsvSource({"0,0.000", "12500,12.500", "-250,-0.250", "5,0.005", "-1234567,-1234.567"})
    void appendMilli_writesThreeDecimals(long milli, String text) {
        assertThat(Numbers.milli(milli)).isEqualTo(text);
    }

    private Numbers.Outcome parseMilli(String text) {
        byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        return numbers.parseMilli(b, 2, b.length - 2);
    }
}
