package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** summary.json keeps the bytes it had when Jackson wrote it, now that core writes it without Jackson. */
class JsonTextTest {
    private static final ObjectMapper JACKSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain.csv",
                "quote\"and\\back",
                "tab\tnew\nline\r",
                "ctl\u0001\u001f\b\f",
                "é ü 中 😀",
                "/slash",
                ""
            })
    void nestedObject_readsAsJacksonsPrettyPrinterWritesIt(String text) throws Exception {
        JsonText ours = new JsonText().put("run_id", text).put("n", -12L).put("flag", true);
        ours.putObject("inputs")
                .put("source", text)
                .putNull("sha256")
                .putObject("deeper")
                .put("x", 0L);
        ours.putObject("empty");
        ObjectNode theirs =
                JACKSON.createObjectNode().put("run_id", text).put("n", -12L).put("flag", true);
        ObjectNode inputs = theirs.putObject("inputs").put("source", text);
        inputs.putNull("sha256");
        inputs.putObject("deeper").put("x", 0L);
        theirs.putObject("empty");

        assertThat(ours.toString()).isEqualTo(JACKSON.writeValueAsString(theirs));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void arrayOfObjects_readsAsJacksonsPrettyPrinterWritesIt(int items) throws Exception {
        JsonText ours = new JsonText().put("before", 1L);
        JsonText.Objects array = ours.putObject("nested").putObjects("warnings");
        ours.put("after", 2L);
        ObjectNode theirs = JACKSON.createObjectNode().put("before", 1L);
        ArrayNode theirArray = theirs.putObject("nested").putArray("warnings");
        theirs.put("after", 2L);
        for (int k = 0; k < items; k++) {
            array.add().put("code", "C" + k).put("message", "m\"" + k);
            theirArray.addObject().put("code", "C" + k).put("message", "m\"" + k);
        }

        assertThat(ours.toString()).isEqualTo(JACKSON.writeValueAsString(theirs));
    }
}
