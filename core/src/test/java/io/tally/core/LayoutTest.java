package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LayoutTest {
    @Test
    void detect_findsTheHeaderBelowTitleRows_andMapsColumnsLoosely() {
        Layout l = Layout.detect(
                source("Tracker\n,,\n  date ,Purchase   Officer NAME,x,NUMBER OF BIRDS,"
                        + "inventory chicken weight\n1,2,3,4,5\n"),
                Tracker.INVENTORY);
        assertThat(l.headerRow()).isEqualTo(3);
        assertThat(l.index(Column.DATE)).isZero();
        assertThat(l.index(Column.OFFICER)).isEqualTo(1);
        assertThat(l.index(Column.BIRDS)).isEqualTo(3);
        assertThat(l.index(Column.CHICKEN)).isEqualTo(4);
        assertThat(l.has(Column.GIZZARD)).isFalse();
        assertThat(l.has(Column.INVOICE)).isFalse();
        assertThat(l.dataStart()).isEqualTo(l.size() - "1,2,3,4,5\n".length());
    }

    @Test
    void detect_namesTheClosestRow_whenARequiredColumnIsMissing() {
        assertThatThrownBy(() -> Layout.detect(source("Title\nDATE,PURCHASE OFFICER NAME,Notes\n"), Tracker.INVENTORY))
                .isInstanceOf(SheetFormatException.class)
                .hasMessage("inventory.csv row 2: the header is missing required column(s) NUMBER OF BIRDS, "
                        + "INVENTORY CHICKEN WEIGHT; columns found: DATE, PURCHASE OFFICER NAME, Notes");
    }

    @Test
    void detect_failsWhenNoRowLooksLikeAHeader() {
        assertThatThrownBy(() -> Layout.detect(source(""), Tracker.INVENTORY))
                .isInstanceOf(SheetFormatException.class)
                .hasMessageStartingWith("inventory.csv: no header row within the first 10 rows");
    }

    @Test
    void detect_reportsUnreadableBytesAboveTheHeader_withTheRow() {
        byte[] bytes = "title\n\"never closed\nDATE\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Layout.detect(ByteSource.of("inventory.csv", bytes), Tracker.INVENTORY))
                .hasMessage("inventory.csv row 2: a quoted field opens on this row and is never closed");
    }

    private static ByteSource source(String text) {
        return ByteSource.of("inventory.csv", text.getBytes(StandardCharsets.UTF_8));
    }
}
