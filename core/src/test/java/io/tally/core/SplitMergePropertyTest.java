package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any split of any input into byte ranges (cuts inside quoted newlines included), each range read with a
 * guessed start, serialized and read back, stitched, then merged in any order, gives byte-identical reports
 * to one pass over the whole file.
 */
class SplitMergePropertyTest {
    private static final String[] CELLS = {
        "2024-01-01",
        "2024-01-02",
        "1/2/2024",
        "Jan 3, 2024",
        "\"Jan 3, 2024\"",
        "45293",
        "31/02/2024",
        "",
        "Ada Obi",
        "ADA  OBI",
        "\"Bo\nEze\"",
        "bo eze",
        "=cmd",
        "\"x,y\"",
        "\"say \"\"hi\"\"\"",
        "\"a\r\nb\"",
        "INV-1",
        "INV-2",
        " INV-1 ",
        "10",
        "12.5",
        "-3",
        "1,234.5",
        "7kg",
        "abc",
        "0.0005",
        "  ",
        "é",
        "\"\"",
    };

    @Property(tries = 300)
    void anySplit_anyMergeOrder_givesTheSinglePassReports(
            @ForAll("trackers") List<String> files, @ForAll("seeds") long seed) throws IOException {
        byte[] purchase = files.get(0).getBytes(StandardCharsets.UTF_8);
        byte[] inventory = files.get(1).getBytes(StandardCharsets.UTF_8);
        Map<String, String> single = reports(purchase, inventory, null);
        Map<String, String> split = reports(purchase, inventory, new Random(seed));
        assertThat(split).isEqualTo(single);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<List<String>> trackers() {
        Arbitrary<String> purchase = body("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
                + "PURCHASED CHICKEN WEIGHT,PURCHASED GIZZARD WEIGHT,NOTES");
        Arbitrary<String> inventory = body("Title row\nDATE,PURCHASE OFFICER NAME,NUMBER OF BIRDS,"
                + "INVENTORY CHICKEN WEIGHT,INVENTORY GIZZARD WEIGHT");
        return Combinators.combine(purchase, inventory).as(List::of);
    }

    private static Arbitrary<String> body(String header) {
        Arbitrary<String> cell = Arbitraries.oneOf(
                Arbitraries.of(CELLS),
                Arbitraries.strings().withChars("0123456789.,\" \n\r-aZ").ofMaxLength(6));
        Arbitrary<String> row = cell.list().ofMinSize(0).ofMaxSize(8).map(cells -> String.join(",", cells));
        Arbitrary<String> eol = Arbitraries.of("\n", "\r\n", "\r");
        Arbitrary<String> line = Combinators.combine(row, eol).as(String::concat);
        return line.list().ofMaxSize(40).map(lines -> header + "\n" + String.join("", lines));
    }

    /** The reports as text, or the one-line error; with {@code random}, from a random split and merge. */
    private static Map<String, String> reports(byte[] purchase, byte[] inventory, Random random) {
        Map<String, String> out = new TreeMap<>();
        try {
            TrackerTotals p = totals(ByteSource.of("purchase.csv", purchase), Tracker.PURCHASE, random);
            TrackerTotals i = totals(ByteSource.of("inventory.csv", inventory), Tracker.INVENTORY, random);
            RunInfo info = new RunInfo(
                    "test",
                    new RunInfo.InputFile("purchase.csv", purchase.length, ""),
                    new RunInfo.InputFile("inventory.csv", inventory.length, ""),
                    Tolerances.DEFAULT,
                    DateOrder.DAY_FIRST,
                    Instant.EPOCH,
                    "test");
            Map<String, ByteArrayOutputStream> files = new TreeMap<>();
            Map<Tracker, ByteSource> sources = Map.of(
                    Tracker.PURCHASE,
                    ByteSource.of("purchase.csv", purchase),
                    Tracker.INVENTORY,
                    ByteSource.of("inventory.csv", inventory));
            try (Invoices invoices = new Reconcile(DateOrder.DAY_FIRST)
                    .invoices(Map.of(Tracker.PURCHASE, p, Tracker.INVENTORY, i), sources, Tolerances.DEFAULT, 2)) {
                ReportWriter.write(
                        name -> files.computeIfAbsent(name, n -> new ByteArrayOutputStream()), p, i, invoices, info);
            }
            files.remove(ReportWriter.SUMMARY); // holds the duration
            files.forEach((name, bytes) -> out.put(name, bytes.toString(StandardCharsets.UTF_8)));
        } catch (SheetFormatException e) {
            out.put("error", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static TrackerTotals totals(ByteSource source, Tracker tracker, Random random) throws IOException {
        Layout layout = Layout.detect(source, tracker);
        RangeReader reader = new Reconcile(DateOrder.DAY_FIRST).reader(layout, source);
        if (random == null) {
            return reader.read(layout.dataStart(), layout.size(), true).finish(layout);
        }
        // Random cut points, then every range read from a guessed start and sent through the codec.
        List<Long> cuts = new ArrayList<>(List.of(layout.dataStart(), layout.size()));
        int n = random.nextInt(12);
        for (int k = 0; k < n && layout.size() > layout.dataStart(); k++) {
            cuts.add(layout.dataStart() + (long) (random.nextDouble() * (layout.size() - layout.dataStart())));
        }
        List<Long> sorted = cuts.stream().distinct().sorted().toList();
        Stitcher stitcher = new Stitcher(layout, reader);
        List<Partial> verified = new ArrayList<>();
        for (int k = 0; k + 1 < sorted.size(); k++) {
            Partial p = roundTrip(reader.read(sorted.get(k), sorted.get(k + 1), false));
            stitcher.next(p).ifPresent(verified::add);
        }
        Collections.shuffle(verified, random);
        while (verified.size() > 1) {
            int a = random.nextInt(verified.size());
            Partial left = verified.remove(a);
            Partial right = verified.remove(random.nextInt(verified.size()));
            verified.add(roundTrip(Partial.merge(left, right)));
        }
        Partial merged = verified.isEmpty() ? Partial.empty(tracker) : verified.get(0);
        return merged.finish(layout);
    }

    private static Partial roundTrip(Partial p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PartialCodec.write(p, bytes);
        return PartialCodec.read(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
