package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every fault in the input shares one parent that names the file and, where there is one, the row. */
class InputFaultTest {
    private static ByteSource source(String text) {
        return ByteSource.of("purchase.csv", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aColumnReadTwice_namesTheFileAndTheHeaderRow() {
        InputFault f = catchThrowableOfType(
                () -> Layout.detect(
                        source("Pullus Purchase Tracker\nDATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
                                + "PURCHASED CHICKEN WEIGHT,DATE\n"),
                        Tracker.PURCHASE),
                InputFault.class);
        assertThat(f).isInstanceOf(SheetFormatException.class);
        assertThat(f.file()).isEqualTo("purchase.csv");
        assertThat(f.row()).hasValue(2);
        assertThat(f.getMessage()).startsWith("purchase.csv row 2: column DATE appears twice");
    }

    @Test
    void noHeaderInTheFirstRows_namesTheFile_andNoRow() {
        InputFault f =
                catchThrowableOfType(() -> Layout.detect(source("a,b\nc,d\n"), Tracker.PURCHASE), InputFault.class);
        assertThat(f.file()).isEqualTo("purchase.csv");
        assertThat(f.row()).isEmpty();
    }

    @Test
    void aChangedTracker_isAnInputFault_too() {
        InputFault f = new InputChangedException("p.csv", "p.csv changed while Tally read it");
        assertThat(f.file()).isEqualTo("p.csv");
        assertThat(f.row()).isEmpty();
    }
}
