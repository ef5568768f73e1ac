package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code invoices.csv}'s second pass reads only the stretches of each tracker that hold the flagged keys' rows, as
 * the first pass recorded them, and must find every such row: on generated trackers whose keys' rows interleave and
 * whose messy rows are rejected, it gives the same {@code invoices.csv} as reading every range whole (what it does
 * when the row offsets are unknown: partials decoded from bytes).
 */
class InvoiceStretchesPropertyTest {
    private static final String[] PURCHASE = {"P:DOVBCGXXX", "P:XDOVBCGX", "P:BCGVODX", "P:DOVBC"};
    private static final String[] INVENTORY = {"I:DOVBCGXX", "I:DOBCGXX", "I:XXDOBC", "I:CBOVD"};

    @Property(tries = 300)
    void stretches_giveTheInvoicesOfReadingEverything(
            @ForAll("purchaseLayouts") String purchaseLayout,
            @ForAll("inventoryLayouts") String inventoryLayout,
            @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        byte[] purchase = FastPathPropertyTest.tracker(purchaseLayout, random).getBytes(StandardCharsets.UTF_8);
        byte[] inventory = FastPathPropertyTest.tracker(inventoryLayout, random).getBytes(StandardCharsets.UTF_8);
        assertThat(invoices(purchase, inventory, true)).isEqualTo(invoices(purchase, inventory, false));
    }

    @Test
    void rowsOfFlaggedKeysOnly_areInTheStretches_joinedWhereTheyOverlap() {
        // Ada's rows lie at both ends of the file, Bo's in the middle: Ada's stretch takes in Bo's.
        String purchase = "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                + "2024-01-01,Ada Obi,INV-1,10,20.000\n"
                + "2024-01-01,Bo Eze,INV-2,10,20.000\n"
                + "2024-01-01,Ada Obi,INV-3,10,20.000\n"
                + "2024-01-02,Cy Uche,INV-4,10,20.000\n"
                + "2024-01-02,Cy Uche,INV-5,10,20.000\n";
        String inventory = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
                + "2024-01-01,Ada Obi,19,40.000\n"
                + "2024-01-01,Bo Eze,9,20.000\n"
                + "2024-01-02,Cy Uche,20,40.000\n";
        ByteSource p = ByteSource.of("purchase.csv", purchase.getBytes(StandardCharsets.UTF_8));
        ByteSource i = ByteSource.of("inventory.csv", inventory.getBytes(StandardCharsets.UTF_8));
        TrackerTotals pt = totals(p, Tracker.PURCHASE);
        TrackerTotals it = totals(i, Tracker.INVENTORY);
        FlaggedKeys flagged = FlaggedKeys.of(pt, it, Tolerances.DEFAULT);
        assertThat(flagged.size()).isEqualTo(2); // Ada (a bird short) and Bo (a bird short); Cy matches

        int header = purchase.indexOf('\n') + 1;
        int bo = purchase.indexOf("2024-01-01,Bo");
        int ada2 = purchase.indexOf("2024-01-01,Ada Obi,INV-3");
        assertThat(InvoicePass.stretches(pt, flagged)).containsExactly(header, ada2 + 1);
        // On the inventory side Ada's one row and Bo's are stretches of their own; Cy's rows are not read again.
        int ibo = inventory.indexOf("2024-01-01,Bo");
        int iheader = inventory.indexOf('\n') + 1;
        assertThat(InvoicePass.stretches(it, flagged)).containsExactly(iheader, iheader + 1, ibo, ibo + 1);
        assertThat(bo).isBetween(header, ada2);
    }

    @Provide
    Arbitrary<String> purchaseLayouts() {
        return Arbitraries.of(PURCHASE);
    }

    @Provide
    Arbitrary<String> inventoryLayouts() {
        return Arbitraries.of(INVENTORY);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static TrackerTotals totals(ByteSource source, Tracker tracker) {
        Layout layout = Layout.detect(source, tracker);
        return new Reconcile(DateOrder.DAY_FIRST)
                .reader(layout, source)
                .read(layout.dataStart(), layout.size(), true)
                .finish(layout);
    }

    /** invoices.csv of the pair, or the error; read by stretches, or every range whole. */
    private static String invoices(byte[] purchase, byte[] inventory, boolean stretches) {
        try {
            ByteSource p = ByteSource.of("purchase.csv", purchase);
            ByteSource i = ByteSource.of("inventory.csv", inventory);
            TrackerTotals pt = totals(p, Tracker.PURCHASE);
            TrackerTotals it = totals(i, Tracker.INVENTORY);
            if (!stretches) {
                pt.table().forgetRows();
                it.table().forgetRows();
            }
            StringWriter out = new StringWriter();
            try (Invoices v = InvoicePass.run(
                    Map.of(Tracker.PURCHASE, pt, Tracker.INVENTORY, it),
                    Map.of(Tracker.PURCHASE, p, Tracker.INVENTORY, i),
                    DateOrder.DAY_FIRST,
                    Tolerances.DEFAULT,
                    2)) {
                new InvoiceReport(pt, it, Tolerances.DEFAULT).write(out, v.merged());
            }
            return out.toString();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
