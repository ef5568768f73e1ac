package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.DateOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatesTest {
    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2024-03-05|2024-03-05", "5/3/2024|2024-03-05", "05/03/2024|2024-03-05", "5-Mar-2024|2024-03-05",
                "05-MAR-2024|2024-03-05", "5 mar 2024|2024-03-05", "Mar 5, 2024|2024-03-05", "MAR 05, 2024|2024-03-05",
                "45356|2024-03-05", "'  2024-03-05 '|2024-03-05", "1|1899-12-31", "99999|2173-10-13",
                "29/02/2024|2024-02-29", "2024|1905-07-16"
            })
    void parse_readsEveryDataMdForm(String text, String iso) {
        assertThat(Dates.format(parse(DateOrder.DAY_FIRST, text))).isEqualTo(iso);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "31/02/2024",
                "0",
                "100000",
                "2024-3-5",
                "5/3/24",
                "5 March 2024",
                "2024/03/05",
                "45356.5",
                "29/02/2023",
                "0000-01-01",
                "13/13/2024",
                "Sept 5, 2024",
                "5  Mar 2024",
                "Mar 5 2024",
                "",
                "5-Mar 2024",
                "x",
                "-45356"
            })
    void parse_rejectsOtherText(String text) {
        assertThat(parse(DateOrder.DAY_FIRST, text)).isEqualTo(Dates.BAD);
    }

    /** DATA.md's months are English abbreviations: only ASCII letters match, whatever Unicode case folding says. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1-\u017Fep-2024",
                "1 \u017FEP 2024",
                "\u017Fep 1, 2024",
                "1-Ma\u0280-2024",
                "1-\u0130an-2024",
                "1-dec\u0301-2024",
                "1-J\uFF41n-2024"
            })
    void parse_monthNameWithNonAsciiLetters_isBad(String text) {
        assertThat(parse(DateOrder.DAY_FIRST, text)).isEqualTo(Dates.BAD);
    }

    @ParameterizedTest(name = "month first: ''{0}'' is {1}")
    @CsvSource(
            delimiter = '|',
            value = {"3/5/2024|2024-03-05", "12/31/2024|2024-12-31", "5-Mar-2024|2024-03-05"})
    void parse_monthFirst_swapsOnlySlashDates(String text, String iso) {
        assertThat(Dates.format(parse(DateOrder.MONTH_FIRST, text))).isEqualTo(iso);
    }

    @ParameterizedTest
    @ValueSource(strings = {"31/12/2024"})
    void parse_monthFirst_rejectsDayFirstText(String text) {
        assertThat(parse(DateOrder.MONTH_FIRST, text)).isEqualTo(Dates.BAD);
    }

    @Test
    void parse_cachedText_givesTheSameDayAsFresh() {
        Dates dates = new Dates(DateOrder.DAY_FIRST);
        for (int round = 0; round < 3; round++) {
            for (String t : new String[] {"1/2/2024", "2024-02-01", "3/2/2024", "bad", "1/2/2024", "x", "y", "z"}) {
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                assertThat(dates.parse(b, 0, b.length)).isEqualTo(new Dates(DateOrder.DAY_FIRST).parse(b, 0, b.length));
            }
        }
        assertThat(LocalDate.ofEpochDay(parse(DateOrder.DAY_FIRST, "1/2/2024"))).isEqualTo(LocalDate.of(2024, 2, 1));
    }

    private static int parse(DateOrder order, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new Dates(order).parse(b, 0, b.length);
    }
}
