package io.tally.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where each key's rows lie ({@link KeyTable#rows}): a reader's table keeps one stretch a key, a merged table one a
 * key and absorbed table, and a table whose runs would outgrow their share of the heap lets them all go.
 */
class KeyTableRowsTest {
    @Test
    void aReadersTable_keepsEachKeysFirstAndLastRow() {
        KeyTable t = new KeyTable(16);
        int a = t.slot(KeyTable.key(1, 0));
        int b = t.slot(KeyTable.key(1, 1));
        t.rows(a, 100, 100);
        t.rows(b, 150, 180);
        t.rows(a, 200, 260);
        assertThat(runs(t)).containsExactly("0:100-260", "1:150-180");
    }

    @Test
    void aMergedTable_keepsARunPerAbsorbedTable_soFarApartRowsStayApart() {
        KeyTable first = new KeyTable(16);
        first.rows(first.slot(KeyTable.key(1, 0)), 100, 120);
        KeyTable last = new KeyTable(16);
        last.rows(last.slot(KeyTable.key(1, 0)), 9_000_000, 9_000_050);
        KeyTable merged = new KeyTable(16);
        int slot = merged.slot(KeyTable.key(1, 0));
        merged.absorbRows(first, new int[] {slot});
        merged.absorbRows(last, new int[] {slot});
        assertThat(runs(merged)).containsExactly("0:100-120", "0:9000000-9000050");

        KeyTable again = new KeyTable(16);
        again.absorbRows(merged, new int[] {again.slot(KeyTable.key(1, 0))});
        assertThat(runs(again)).containsExactly("0:100-120", "0:9000000-9000050");
    }

    @Test
    void runsPastTheirShareOfTheHeap_areLetGo_andTheRowsAreUnknown() {
        int limit = KeyTable.maxRuns;
        KeyTable.maxRuns = 3;
        try {
            KeyTable merged = new KeyTable(16);
            for (int k = 0; k < 4; k++) {
                KeyTable range = new KeyTable(16);
                range.rows(range.slot(KeyTable.key(1, k)), 1000L * k, 1000L * k + 10);
                merged.absorbRows(range, new int[] {merged.slot(KeyTable.key(1, k))});
                assertThat(merged.rowsKnown()).isEqualTo(k < 3);
            }
            assertThatThrownBy(() -> runs(merged)).isInstanceOf(IllegalStateException.class);
        } finally {
            KeyTable.maxRuns = limit;
        }
    }

    @Test
    void absorbingATableWithoutRows_makesTheRowsUnknown() {
        KeyTable decoded = new KeyTable(16);
        decoded.slot(KeyTable.key(1, 0));
        decoded.forgetRows();
        KeyTable merged = new KeyTable(16);
        merged.absorbRows(decoded, new int[] {merged.slot(KeyTable.key(1, 0))});
        assertThat(merged.rowsKnown()).isFalse();
    }

    private static List<String> runs(KeyTable t) {
        List<String> out = new ArrayList<>();
        t.forEachRowRun((slot, first, last) -> out.add(slot + ":" + first + "-" + last));
        return out;
    }
}
