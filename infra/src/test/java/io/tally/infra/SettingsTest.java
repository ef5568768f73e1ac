package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/** The context values: cdk.json repeats the defaults, and values that cannot work are refused at synth. */
class SettingsTest {

    @Test
    void cdkJson_setsEveryContextValue_toItsDefault() throws Exception {
        String json = Files.readString(Path.of("cdk.json"));
        Map<String, Object> context = new TreeMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|[0-9.]+|\\{\\})")
                .matcher(json.substring(json.indexOf("\"context\"")));
        while (m.find()) {
            String v = m.group(2);
            context.put(m.group(1), v.equals("{}") ? "" : v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        App app = App.Builder.create().context(context).build();

        assertThat(Settings.fromContext(app.getNode())).isEqualTo(Settings.defaults());
        assertThat(context).hasSize(Settings.class.getRecordComponents().length);
    }

    @Test
    void tuning_takesOnlyTheFunctionSettingsItLists_fromAnObjectOrPairs() {
        App pairs = App.Builder.create()
                .context(Map.of("tuning", "TALLY_TOLERANCE_PCT=3, TALLY_RANGE_BYTES=33554432"))
                .build();
        assertThat(Settings.fromContext(pairs.getNode()).tuning())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("TALLY_TOLERANCE_PCT", "3", "TALLY_RANGE_BYTES", "33554432"));
        App unknown = App.Builder.create()
                .context(Map.of("tuning", Map.of("TALLY_BUCKET", "other")))
                .build();
        assertThatThrownBy(() -> Settings.fromContext(unknown.getNode()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TALLY_BUCKET");
    }

    @Test
    void fromContext_refusesAConcurrencyLambdaWouldRefuse() {
        App app = App.Builder.create().context(Map.of("maxConcurrency", 1)).build();

        assertThatThrownBy(() -> Settings.fromContext(app.getNode()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConcurrency");
    }

    @Test
    void fromContext_refusesSomeSheetsWithoutTheOthers() {
        App app = App.Builder.create().context(Map.of("sheetsPurchase", "ID")).build();

        assertThatThrownBy(() -> Settings.fromContext(app.getNode()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sheetsInventory");
    }
}
