package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static ByteArrayInputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void headers_areTheDataContractsColumns() {
        assertThat(Report.DISCREPANCIES.header())
                .isEqualTo("date,officer,purchase_birds,inventory_birds,bird_diff,purchase_chicken_kg,"
                        + "inventory_chicken_kg,chicken_diff_kg,chicken_diff_pct,purchase_gizzard_kg,"
                        + "inventory_gizzard_kg,gizzard_diff_kg,purchase_invoices,status");
        assertThat(Report.REJECTED.header()).isEqualTo("tracker,source,row,reason,raw");
        assertThat(Report.OFFICERS.columns()).hasSize(17);
    }

    @Test
    void rows_typeEachCellByItsColumn_andTakeTheFormulaEscapeOff() {
        String csv = Report.DISCREPANCIES.header() + "\n"
                + "2024-01-01,'=Ada,10,9,1,20.000,19.500,0.500,2.50,,,,1,DISCREPANCY\n"
                + "2024-01-02,\"Obi, \"\"Jr\"\"\",0,0,0,0.000,0.000,0.000,,,,,0,OK\n";
        List<Object[]> rows = Report.DISCREPANCIES.readAll(text(csv));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[1]).isEqualTo("=Ada");
        assertThat(rows.get(0)[2]).isEqualTo(new BigDecimal("10"));
        assertThat(rows.get(0)[6]).isEqualTo(new BigDecimal("19.500"));
        assertThat(rows.get(0)[9]).isEqualTo("");
        assertThat(rows.get(1)[1]).isEqualTo("Obi, \"Jr\"");
        assertThat(rows.get(1)[8]).isEqualTo("");
    }

    @Test
    void rows_aTextCellWithALineBreak_isOneCell() {
        String csv = Report.REJECTED.header() + "\ninventory,i.csv,4,BAD_DATE: x,\"a\nb|c\"\n";
        List<Object[]> rows = Report.REJECTED.readAll(text(csv));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)[4]).isEqualTo("a\nb|c");
        assertThat(rows.get(0)[2]).isEqualTo(new BigDecimal("4"));
    }

    @Test
    void rows_anotherReportsHeader_isRefused() {
        assertThatThrownBy(() -> Report.OFFICERS.readAll(text(Report.REJECTED.header() + "\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("officers.csv has the header 'tracker,source,row,reason,raw'");
    }

    @Test
    void rows_textInANumberColumn_isRefused_withItsColumn() {
        String csv = Report.REJECTED.header() + "\ninventory,i.csv,four,BAD_DATE: x,raw\n";
        assertThatThrownBy(() -> Report.REJECTED.readAll(text(csv))).hasMessageContaining("column row holds 'four'");
    }

    @Test
    void rows_aShortRecord_isRefused_withItsNumber() {
        String csv = Report.REJECTED.header() + "\ninventory,i.csv\n";
        assertThatThrownBy(() -> Report.REJECTED.readAll(text(csv))).hasMessageContaining("record 2 has 2 cells");
    }

    @Test
    void plainCell_quotesButNeverEscapes() {
        StringBuilder sb = new StringBuilder();
        CsvText.plainCell(sb, "=SUM(A1)");
        sb.append(',');
        CsvText.plainCell(sb, "a,b");
        assertThat(sb).hasToString("=SUM(A1),\"a,b\"");
    }
}
