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

    @Test
    void detect_whenTheFileIsAnExcelWorkbook_saysSoAndHowToSaveACsv() {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0, 0, 0, 33, 0};
        assertThatThrownBy(() -> Layout.detect(ByteSource.of("purchase.xlsx", zip), Tracker.PURCHASE))
                .isInstanceOf(SheetFormatException.class)
                .hasMessage("purchase.xlsx: this is an Excel workbook (.xlsx, a zip file), not a CSV file: open it and "
                        + "save it with File > Download > CSV in Google Sheets (in Excel: File > Save As > CSV UTF-8)");
    }

    @Test
    void detect_whenTheFileIsAnOldExcelWorkbook_saysSo() {
        byte[] ole = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0};
        assertThatThrownBy(() -> Layout.detect(ByteSource.of("purchase.xls", ole), Tracker.PURCHASE))
                .hasMessageStartingWith("purchase.xls: this is an Excel 97-2003 workbook (.xls), not a CSV file");
    }

    @Test
    void detect_whenTheFileIsUtf16_saysSo() {
        byte[] bytes = "\uFEFFDATE,PURCHASE OFFICER NAME\n".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> Layout.detect(ByteSource.of("inventory.txt", bytes), Tracker.INVENTORY))
                .hasMessage("inventory.txt: the file is UTF-16 text (as Excel's \"Unicode Text\" saves it), not "
                        + "UTF-8: save it with File > Download > CSV in Google Sheets (in Excel: File > Save As > CSV "
                        + "UTF-8)");
    }

    @Test
    void detect_whenTheHeaderIsWindows1252_saysSoAndShowsTheCell() {
        byte[] bytes = "Relev\u00e9 des achats\nDATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Layout.detect(ByteSource.of("inventory.csv", bytes), Tracker.INVENTORY))
                .isInstanceOf(SheetFormatException.class)
                .hasMessage("inventory.csv row 1: the bytes are not valid UTF-8; byte 0xE9 reads as Windows-1252 "
                        + "(\"Relev\u00e9 des achats\"), so the file was probably saved as Windows-1252 (ANSI): save it "
                        + "again as UTF-8 (in Excel: File > Save As > CSV UTF-8; in Notepad: Save As, Encoding UTF-8), "
                        + "or download it from Google Sheets with File > Download > CSV");
    }

    @Test
    void detect_whenTheBadBytesAreNotWindows1252_saysOnlyHowToResave() {
        byte[] bytes = {'a', ',', (byte) 0x81, '\n'};
        assertThatThrownBy(() -> Layout.detect(ByteSource.of("inventory.csv", bytes), Tracker.INVENTORY))
                .hasMessage("inventory.csv row 1: the bytes are not valid UTF-8; save the file as UTF-8 (in Excel: "
                        + "File > Save As > CSV UTF-8), or download it from Google Sheets with File > Download > CSV");
    }

    @Test
    void detect_whenColumnsAreSeparatedBySemicolons_saysSo() {
        assertThatThrownBy(() -> Layout.detect(
                        source("Title;;\nDATE;PURCHASE OFFICER NAME;NUMBER OF BIRDS;INVENTORY CHICKEN WEIGHT\n"
                                + "1/2/2024;Ada;1,5;2\n"),
                        Tracker.INVENTORY))
                .isInstanceOf(SheetFormatException.class)
                .hasMessage("inventory.csv row 2: the columns are separated by semicolons (;), not commas, and Tally "
                        + "reads comma-separated files only: download the sheet with File > Download > CSV (in Excel: "
                        + "File > Save As > CSV UTF-8 (Comma delimited), with the list separator set to a comma)");
    }

    @Test
    void detect_whenColumnsAreSeparatedByTabs_saysSo() {
        assertThatThrownBy(() -> Layout.detect(
                        source("DATE\tPURCHASE OFFICER NAME\tNUMBER OF BIRDS\tINVENTORY CHICKEN WEIGHT\n"),
                        Tracker.INVENTORY))
                .hasMessageStartingWith("inventory.csv row 1: the columns are separated by tabs, not commas");
    }

    @Test
    void detect_whenTheFileIsTheOtherTracker_saysWhichItIs() {
        assertThatThrownBy(() -> Layout.detect(
                        source("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"),
                        Tracker.INVENTORY))
                .isInstanceOf(SheetFormatException.class)
                .hasMessage("inventory.csv row 1: this is the purchase tracker's header (it has INVOICE NUMBER, "
                        + "PURCHASED CHICKEN WEIGHT), not the inventory tracker's (which needs INVENTORY CHICKEN "
                        + "WEIGHT): give this file as the purchase tracker, and the inventory tracker as the inventory "
                        + "one");
    }

    @Test
    void detectBoth_whenTheTrackersAreSwapped_saysSo() {
        ByteSource purchase = ByteSource.of(
                "purchase.csv",
                "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                        .getBytes(StandardCharsets.UTF_8));
        ByteSource inventory = ByteSource.of(
                "inventory.csv",
                "Pullus Purchase Tracker\nDATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
                        .concat("PURCHASED CHICKEN WEIGHT\n")
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Layout.detectBoth(purchase, inventory))
                .isInstanceOf(SheetFormatException.class)
                .hasMessage("purchase.csv, given as the purchase tracker, has the inventory tracker's columns, and "
                        + "inventory.csv, given as the inventory tracker, has the purchase tracker's: the two trackers "
                        + "are swapped; give each file as the other (in tally: swap the files of --purchase and "
                        + "--inventory)");
        assertThat(Layout.detectBoth(inventory, purchase)).hasSize(2);
    }

    @Test
    void detectBoth_whenOnlyOneFileIsTheOtherTracker_namesThatFile() {
        ByteSource inventory = ByteSource.of(
                "inventory.csv",
                "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Layout.detectBoth(inventory, inventory))
                .hasMessageStartingWith("inventory.csv row 1: this is the inventory tracker's header");
    }

    private static ByteSource source(String text) {
        return ByteSource.of("inventory.csv", text.getBytes(StandardCharsets.UTF_8));
    }
}
