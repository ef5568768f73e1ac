package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingsTest {
    private static final String P =
            "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                    + "2024-03-01,Dayo Bello,INV-1,50,100\n2024-03-02,Ada Obi,INV-2,10,20\n";
    private static final String I = "DATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n"
            + "2024-03-01,Dayo Belo,50,99\n2024-03-02,Ada Obii,10,20\n";

    private static Map<Tracker, TrackerTotals> totals() {
        ByteSource p = ByteSource.of("p.csv", P.getBytes(StandardCharsets.UTF_8));
        ByteSource i = ByteSource.of("i.csv", I.getBytes(StandardCharsets.UTF_8));
        return new Engine(1, 0, DateOrder.DAY_FIRST).read(p, i, Engine.Progress.NONE);
    }

    private static List<String> write(Findings f) throws IOException {
        StringWriter out = new StringWriter();
        f.write(out);
        return out.toString().lines().toList();
    }

    @Test
    void possibleMatches_areSearchedWithinTheBudget() throws IOException {
        Map<Tracker, TrackerTotals> t = totals();
        Findings f = new Findings(t.get(Tracker.PURCHASE), t.get(Tracker.INVENTORY), Tolerances.DEFAULT);
        assertThat(write(f))
                .anySatisfy(
                        l -> assertThat(l).startsWith("2024-03-01,Dayo Bello,").endsWith(",Dayo Belo"));
        assertThat(f.unsearchedDates()).isEmpty();
    }

    /** A date with too many names to compare is left unsearched, and named, rather than taking hours. */
    @Test
    void aDatePastThePairBudget_isNotSearched_andIsNamed() throws IOException {
        long budget = Findings.pairBudget;
        Findings.pairBudget = 2;
        try {
            Map<Tracker, TrackerTotals> t = totals();
            Findings f = new Findings(t.get(Tracker.PURCHASE), t.get(Tracker.INVENTORY), Tolerances.DEFAULT);
            List<String> rows = write(f);
            assertThat(rows)
                    .anySatisfy(l ->
                            assertThat(l).startsWith("2024-03-01,Dayo Bello,").endsWith(",Dayo Belo"));
            assertThat(rows)
                    .anySatisfy(
                            l -> assertThat(l).startsWith("2024-03-02,Ada Obi,").endsWith(",,"));
            assertThat(f.unsearchedDates())
                    .containsExactly((int) LocalDate.of(2024, 3, 2).toEpochDay());
        } finally {
            Findings.pairBudget = budget;
        }
    }
}
