package io.tally.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Locale;
import java.util.Optional;

/**
 * Says what a file that cannot be read as a tracker most likely is, and what to do about it: a workbook saved
 * instead of a CSV, a file in another encoding. Each sentence follows the file's name (and row) in the one line
 * the user sees, so every path (the CLI, the Lambda functions, the Glue job) reports the same one.
 */
final class InputDiagnosis {
    /** How to get a tracker as Tally reads it, from either program. */
    static final String SAVE_AS_CSV =
            "save it with File > Download > CSV in Google Sheets (in Excel: File > Save As > CSV UTF-8)";

    /** What to do about bytes that are not UTF-8, when they say nothing more. */
    private static final String RESAVE = "; save the file as UTF-8 (in Excel: File > Save As > CSV UTF-8), or download"
            + " it from Google Sheets with File > Download > CSV";

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /** Bytes on either side of a bad byte shown for context. */
    private static final int CONTEXT = 24;

    private InputDiagnosis() {}

    /**
     * What the first bytes of a file say it is, when they say it is no CSV at all: a zipped Excel workbook, an
     * old binary one, or UTF-16 text.
     */
    static Optional<String> notText(byte[] head) {
        if (startsWith(head, 'P', 'K', 0x03, 0x04)) {
            return Optional.of(
                    "this is an Excel workbook (.xlsx, a zip file), not a CSV file: open it and " + SAVE_AS_CSV);
        }
        if (startsWith(head, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return Optional.of("this is an Excel 97-2003 workbook (.xls), not a CSV file: open it and " + SAVE_AS_CSV);
        }
        if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
            return Optional.of(
                    "the file is UTF-16 text (as Excel's \"Unicode Text\" saves it), not UTF-8: " + SAVE_AS_CSV);
        }
        return Optional.empty();
    }

    /**
     * The sentence for bytes that are not UTF-8 at {@code offset} (where the first bad sequence starts): the
     * plain fault, and, when the bytes read as Windows-1252 (what Excel and Notepad save as "ANSI" in the West),
     * the text they would be and how to re-save the file.
     */
    static String badUtf8(ByteSource source, long offset, String sentence) {
        long from = Math.max(0, offset - CONTEXT);
        long to = Math.min(source.size(), offset + CONTEXT);
        if (offset < 0 || offset >= to) {
            return sentence;
        }
        byte[] window;
        try {
            window = read(source, from, to);
        } catch (IOException | UncheckedIOException e) {
            return sentence + RESAVE;
        }
        int at = (int) (offset - from);
        if (at >= window.length) {
            return sentence;
        }
        return sentence + windows1252(window, at).orElse(RESAVE);
    }

    /**
     * When the bytes around {@code at} (the first bad byte, at or above 0x80) decode as Windows-1252, the clause
     * that says so, showing the cell they are in as Windows-1252 would read it.
     */
    static Optional<String> windows1252(byte[] window, int at) {
        int b = window[at] & 0xff;
        if (b < 0x80) {
            return Optional.empty();
        }
        int start = at;
        while (start > 0 && !isBreak(window[start - 1])) {
            start--;
        }
        int end = at + 1;
        while (end < window.length && !isBreak(window[end])) {
            end++;
        }
        String text;
        try {
            text = WINDOWS_1252
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(window, start, end - start))
                    .toString()
                    .strip();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "; byte 0x%02X reads as Windows-1252 (\"%s\"), so the file was probably saved as Windows-1252"
                        + " (ANSI): save it again as UTF-8 (in Excel: File > Save As > CSV UTF-8; in Notepad:"
                        + " Save As, Encoding UTF-8), or download it from Google Sheets with File > Download > CSV",
                b,
                text));
    }

    private static boolean isBreak(byte b) {
        return b == ',' || b == '\n' || b == '\r' || b == '"' || b == ';' || b == '\t';
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int k = 0; k < magic.length; k++) {
            if ((head[k] & 0xff) != magic[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] read(ByteSource source, long from, long to) throws IOException {
        try (InputStream in = source.open(from, to)) {
            return in.readNBytes((int) (to - from));
        }
    }
}
