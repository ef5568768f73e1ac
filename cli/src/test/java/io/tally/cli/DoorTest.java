package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input mistakes caught at the door (issue 19, item 4): each gives exit 2, one line on stderr saying what happened
 * and what to do, and no report.
 */
class DoorTest {
    private static final String P_HEADER =
            "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n";
    private static final String I_HEADER = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n";
    private static final String P = P_HEADER + "2024-01-01,Ada Obi,I1,10,20\n";
    private static final String I = I_HEADER + "2024-01-01,ada obi,10,19.8\n";

    @TempDir
    Path tmp;

    private Path p;
    private Path i;
    private Path out;

    @BeforeEach
    void files() throws IOException {
        p = write("p.csv", P.getBytes(StandardCharsets.UTF_8));
        i = write("i.csv", I.getBytes(StandardCharsets.UTF_8));
        out = tmp.resolve("report");
    }

    private record Run(int code, String out, String err) {}

    private Run reconcile(Path purchase, Path inventory, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "reconcile",
                "--purchase",
                purchase.toString(),
                "--inventory",
                inventory.toString(),
                "--out",
                out.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TallyCli.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(code, o.toString(), e.toString());
    }

    /** Exit 2, exactly {@code line} on stderr, nothing on stdout, and no report folder. */
    private void assertRefused(Run r, String line) {
        assertThat(r.code()).as(r.err()).isEqualTo(TallyCli.USAGE);
        assertThat(r.err()).isEqualTo(line + "\n");
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void anExcelWorkbook_isRefused_withHowToSaveACsv() throws IOException {
        Path xlsx = write("purchase.xlsx", new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0, 0, 0, 33, 0, 'x', 'l'});
        assertRefused(
                reconcile(xlsx, i),
                "tally: purchase.xlsx: this is an Excel workbook (.xlsx, a zip file), not a CSV file: open it and save "
                        + "it with File > Download > CSV in Google Sheets (in Excel: File > Save As > CSV UTF-8)");
    }

    @Test
    void aWindows1252File_isRefused_sayingSoAndHowToResave() throws IOException {
        Path latin = write(
                "inventory.csv",
                (I_HEADER + "2024-01-01,Ada Obi,10,19.8\n2024-01-02,Adé Obi,1,1\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(
                reconcile(p, latin),
                "tally: inventory.csv row 3: the bytes are not valid UTF-8; byte 0xE9 reads as Windows-1252 "
                        + "(\"Adé Obi\"), so the file was probably saved as Windows-1252 (ANSI): save it again as UTF-8"
                        + " (in Excel: File > Save As > CSV UTF-8; in Notepad: Save As, Encoding UTF-8), or download it"
                        + " from Google Sheets with File > Download > CSV");
    }

    @Test
    void aSemicolonSeparatedFile_isRefused_sayingWhichSeparator() throws IOException {
        Path semi = write("purchase.csv", P.replace(',', ';').getBytes(StandardCharsets.UTF_8));
        assertRefused(
                reconcile(semi, i),
                "tally: purchase.csv row 1: the columns are separated by semicolons (;), not commas, and Tally reads "
                        + "comma-separated files only: download the sheet with File > Download > CSV (in Excel: File >"
                        + " Save As > CSV UTF-8 (Comma delimited), with the list separator set to a comma)");
    }

    @Test
    void aTabSeparatedFile_isRefused_sayingWhichSeparator() throws IOException {
        Path tabs = write("inventory.tsv", I.replace(',', '\t').getBytes(StandardCharsets.UTF_8));
        Run r = reconcile(p, tabs);
        assertThat(r.code()).isEqualTo(TallyCli.USAGE);
        assertThat(r.err())
                .startsWith("tally: inventory.tsv row 1: the columns are separated by tabs, not commas")
                .hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void swappedTrackers_areRefused_sayingTheyAreSwapped() {
        assertRefused(
                reconcile(i, p),
                "tally: i.csv, given as the purchase tracker, has the inventory tracker's columns, and p.csv, given as"
                        + " the inventory tracker, has the purchase tracker's: the two trackers are swapped; give each "
                        + "file as the other (in tally: swap the files of --purchase and --inventory)");
    }

    @Test
    void theSameTrackerTwice_isRefused_namingTheFileThatIsTheOtherOne() {
        assertRefused(
                reconcile(p, p),
                "tally: p.csv row 1: this is the purchase tracker's header (it has INVOICE NUMBER, PURCHASED CHICKEN "
                        + "WEIGHT), not the inventory tracker's (which needs INVENTORY CHICKEN WEIGHT): give this file"
                        + " as the purchase tracker, and the inventory tracker as the inventory one");
    }

    @Test
    void aToleranceWithAUnit_isRefusedWithAUsageLine_notAStackTrace() {
        assertRefused(
                reconcile(p, i, "--tolerance-kg", "1kg"),
                "tally: Invalid value for option '--tolerance-kg': '1kg' is not a number; give the kilograms as a plain"
                        + " number, without a unit: --tolerance-kg 1 (see 'tally reconcile --help')");
        assertRefused(
                reconcile(p, i, "--tolerance-pct", "2.5%"),
                "tally: Invalid value for option '--tolerance-pct': '2.5%' is not a number; give the per cent as a "
                        + "plain number, without a unit: --tolerance-pct 2.5 (see 'tally reconcile --help')");
    }

    @Test
    void anUnknownOption_suggestsTheClosestOne() {
        Run r = run("reconcile", "--purchse", p.toString(), "--inventory", i.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(TallyCli.USAGE);
        assertThat(r.err())
                .isEqualTo(
                        "tally: Unknown option: '--purchse'; did you mean --purchase? (see 'tally reconcile --help')\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void anUnknownCommand_suggestsTheClosestOne() {
        Run r = run("reconcil", "--purchase", p.toString());
        assertThat(r.code()).isEqualTo(TallyCli.USAGE);
        assertThat(r.err())
                .isEqualTo("tally: unknown command 'reconcil'; did you mean reconcile? (see 'tally --help')\n");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }
}
