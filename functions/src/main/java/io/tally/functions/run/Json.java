package io.tally.functions.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tally.storage.run.RunJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON for the functions: the run records' one mapper ({@link RunJson}), plus the text forms messages and log
 * lines need.
 */
public final class Json {
    public static final ObjectMapper MAPPER = RunJson.MAPPER;

    private Json() {}

    public static byte[] bytes(Object value) {
        return RunJson.bytes(value);
    }

    /** A message body: the value as JSON text. */
    public static String text(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /** One line of JSON, for logs. */
    public static String line(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        return RunJson.read(bytes, type);
    }

    public static <T> T read(String text, Class<T> type) {
        return RunJson.read(text.getBytes(StandardCharsets.UTF_8), type);
    }
}
