package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class RecordScannerTest {

    @Test
    void next_splitsRfc4180Records_withEveryLineEnd() {
        assertThat(records("a,b\nc,d\r\ne,f\rg,h"))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e", "f"), List.of("g", "h"));
    }

    @Test
    void next_keepsQuotedCommasQuotesAndNewlines() {
        assertThat(records("\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\"\nz"))
                .containsExactly(List.of("a,b", "say \"hi\"", "x\r\ny"), List.of("z"));
    }

    @Test
    void next_keepsTextAfterAClosingQuote_andQuotesInsideUnquotedFields() {
        assertThat(records("\"ab\"cd,e\"f\n")).containsExactly(List.of("abcd", "e\"f"));
    }

    @Test
    void next_treatsAnEmptyLineAsABlankRecord_butNotTheFinalNewline() {
        RecordScanner s = scanner("a\n\nb\n");
        List<Boolean> blank = new ArrayList<>();
        while (s.next()) {
            blank.add(s.isBlank());
        }
        assertThat(blank).containsExactly(false, true, false);
    }

    @Test
    void next_tracksAbsoluteRecordOffsets() {
        RecordScanner s = new RecordScanner(new ByteArrayInputStream(bytes("ab\r\n\"c\nd\"\ne")), 100);
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        while (s.next()) {
            starts.add(s.recordStart());
            ends.add(s.recordEnd());
        }
        assertThat(starts).containsExactly(100L, 104L, 110L);
        assertThat(ends).containsExactly(104L, 110L, 111L);
    }

    @Test
    void skipByteOrderMark_dropsOnlyALeadingBom() {
        RecordScanner s = scanner("\uFEFFDATE,x\n");
        s.skipByteOrderMark();
        assertThat(s.next()).isTrue();
        assertThat(s.text(0)).isEqualTo("DATE");
    }

    @Test
    void next_failsOnAnUnclosedQuote_atItsRecord() {
        RecordScanner s = scanner("a\n\"open,b\nc\n");
        assertThat(s.next()).isTrue();
        assertThatThrownBy(s::next).isInstanceOfSatisfying(RecordFormatException.class, e -> {
            assertThat(e.kind()).isEqualTo(RecordFormatException.Kind.UNCLOSED_QUOTE);
            assertThat(e.offset()).isEqualTo(2);
        });
    }

    @Test
    void next_failsOnARecordOverOneMebibyte_andAcceptsOneExactlyThatLong() {
        String exact = "x".repeat(RecordScanner.MAX_RECORD_BYTES);
        RecordScanner ok = scanner(exact + "\nshort\n");
        assertThat(ok.next()).isTrue();
        assertThat(ok.next()).isTrue();
        assertThat(ok.text(0)).isEqualTo("short");

        RecordScanner tooLong = scanner("a\n" + exact + "y\nb\n");
        assertThat(tooLong.next()).isTrue();
        assertThatThrownBy(tooLong::next).isInstanceOfSatisfying(RecordFormatException.class, e -> assertThat(e.kind())
                .isEqualTo(RecordFormatException.Kind.TOO_LONG));
    }

    @Test
    void next_saysAQuoteIsUnclosed_whenAQuotedFieldRunsPastOneMebibyte() {
        RecordScanner s = scanner("\"" + "x\n".repeat(RecordScanner.MAX_RECORD_BYTES) + "\"\n");
        assertThatThrownBy(s::next).isInstanceOfSatisfying(RecordFormatException.class, e -> assertThat(e.kind())
                .isEqualTo(RecordFormatException.Kind.UNCLOSED_QUOTE_TOO_LONG));
    }

    @Test
    void next_givesTheSameFault_whateverSizeTheReadsComeIn() {
        // A quoted field of 1.1 MB that does close: the record is too long. A file fills the buffer in one read,
        // an S3 stream a few KiB at a time; the fault must depend on the bytes only, and wherever the record sits.
        String closes = "\"" + "x".repeat(1_100_000) + "\",b\n";
        String neverCloses = "\"" + "x\n".repeat(RecordScanner.MAX_RECORD_BYTES) + "\"\n";
        String before = "short,row\n".repeat(60_000);
        for (String prefix : List.of("", before)) {
            for (int chunk : List.of(Integer.MAX_VALUE, 8192, 1000)) {
                assertThat(faultOf(prefix + closes, chunk))
                        .as("closes, chunk %d", chunk)
                        .isEqualTo(RecordFormatException.Kind.TOO_LONG);
                assertThat(faultOf(prefix + neverCloses, chunk))
                        .as("unclosed, chunk %d", chunk)
                        .isEqualTo(RecordFormatException.Kind.UNCLOSED_QUOTE_TOO_LONG);
            }
        }
    }

    private static RecordFormatException.Kind faultOf(String text, int chunk) {
        RecordScanner s = new RecordScanner(
                new ByteArrayInputStream(bytes(text)) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, chunk));
                    }
                },
                0);
        try {
            while (s.next()) {
                assertThat(s.fieldCount()).isEqualTo(2);
            }
        } catch (RecordFormatException e) {
            return e.kind();
        }
        throw new AssertionError("no fault");
    }

    @Test
    void next_rejectsInvalidUtf8_anywhereInTheRecord() {
        for (byte[] bad : List.of(
                new byte[] {'a', (byte) 0xC3},
                new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF5, 1, 1, 1},
                new byte[] {'"', (byte) 0xFF, '"'},
                new byte[] {(byte) 0xE2, (byte) 0x82})) {
            RecordScanner s = new RecordScanner(new ByteArrayInputStream(bad), 0);
            assertThatThrownBy(s::next).isInstanceOfSatisfying(RecordFormatException.class, e -> assertThat(e.kind())
                    .isEqualTo(RecordFormatException.Kind.BAD_UTF8));
        }
        assertThat(records("é,€,𝐀\n")).containsExactly(List.of("é", "€", "𝐀"));
    }

    @Test
    void next_readsRecordsThatStraddleReadBoundaries() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append(i).append(",\"q\n").append(i).append("\",é").append(i).append('\n');
        }
        InputStream trickle = new ByteArrayInputStream(bytes(sb.toString())) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        RecordScanner s = new RecordScanner(trickle, 0);
        int n = 0;
        while (s.next()) {
            assertThat(s.text(1)).isEqualTo("q\n" + n);
            assertThat(s.text(2)).isEqualTo("é" + n);
            n++;
        }
        assertThat(n).isEqualTo(20_000);
    }

    @Test
    void seekGuessedRecordStart_takesTheFirstOffsetAfterALineEnd() {
        byte[] data = bytes("abc\ndef\r\nghi\rjkl");
        for (int from = 1; from <= data.length; from++) {
            RecordScanner s =
                    new RecordScanner(new ByteArrayInputStream(data, from - 1, data.length - from + 1), from - 1);
            long guess = s.seekGuessedRecordStart(from);
            long expected = from <= 4 ? 4 : from <= 9 ? 9 : from <= 13 ? 13 : -1;
            assertThat(guess).as("from %d", from).isEqualTo(expected);
        }
    }

    private static List<List<String>> records(String text) {
        RecordScanner s = scanner(text);
        List<List<String>> out = new ArrayList<>();
        while (s.next()) {
            List<String> cells = new ArrayList<>();
            for (int f = 0; f < s.fieldCount(); f++) {
                cells.add(s.text(f));
            }
            out.add(cells);
        }
        return out;
    }

    private static RecordScanner scanner(String text) {
        return new RecordScanner(new ByteArrayInputStream(bytes(text)), 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void manyFieldsWithDoubledQuotes_inOneRecord_unescapeTogether() throws Exception {
        StringBuilder line = new StringBuilder();
        for (int f = 0; f < 6; f++) {
            line.append(f == 0 ? "" : ",").append('"').append("x".repeat(100)).append("\"\"y\"");
        }
        line.append('\n');
        RecordScanner scanner =
                new RecordScanner(new ByteArrayInputStream(line.toString().getBytes(StandardCharsets.UTF_8)), 0);
        Assertions.assertThat(scanner.next()).isTrue();
        Assertions.assertThat(scanner.fieldCount()).isEqualTo(6);
        for (int f = 0; f < 6; f++) {
            Assertions.assertThat(scanner.text(f)).isEqualTo("x".repeat(100) + "\"y");
        }
    }
}
