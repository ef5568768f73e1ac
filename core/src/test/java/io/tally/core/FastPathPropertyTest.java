package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.core.internal.KeyTable;
import io.tally.core.internal.OfficerDictionary;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The reader's fast path for plain records gives the same partial, to the byte, as the reference path (the record
 * scanner and the cleaning of each cell), on generated trackers of mostly plain rows mixed with every messy form:
 * other date forms, spaces, units, separators, quotes, bad cells, short rows, long cells, non-ASCII text, any line
 * end, any column order.
 */
class FastPathPropertyTest {
    private static final String[] DATES = {
        "2024-01-01",
        "2024-01-01",
        "2024-01-01",
        "2024-01-02",
        "2024-01-02",
        "2024-01-03",
        " 2024-01-03",
        "2024-01-03 ",
        "1/2/2024",
        "45293",
        "\"Jan 3, 2024\"",
        "3-Jan-2024",
        "31/02/2024",
        "",
        " ",
        "2024-13-01",
        "2024-01-0x",
        "2024-01-01 and a long tail",
        "\"2024-01-01\"",
        "é2024",
    };
    private static final String[] OFFICERS = {
        "Ada Obi",
        "Ada Obi",
        "Ada Obi",
        "Bo Eze",
        "Bo Eze",
        "ADA  OBI",
        " Ada Obi",
        "Ada Obi ",
        "bo eze",
        "x",
        "",
        "  ",
        "Chukwuemeka Oluwaseun Adebayo",
        "Émeka Eze",
        "\"Obi, Ada\"",
        "Ada \"Obi\"",
        "Zainab",
    };
    private static final String[] WHOLES = {
        "1",
        "12",
        "321",
        "4321",
        "1234567",
        "12345678",
        "0",
        "007",
        "-3",
        "-0",
        "+4",
        "12.0",
        "12.5",
        " 12",
        "12 ",
        "\"1,234\"",
        "abc",
        "",
        "999999999999999",
        "9999999999999999",
        "1kg",
        "1.",
    };
    private static final String[] WEIGHTS = {
        "825.612",
        "825.612",
        "13.161",
        "1.5",
        "12.50",
        "7",
        "0",
        "0.0005",
        "12.",
        ".5",
        "  7 ",
        "7kg",
        "7 KG",
        "1234567.123",
        "12345678.1",
        "1234567.1234",
        "-0",
        "-1.5",
        "",
        "1.2345",
        "1.23455",
        "00001.000",
        "\"1,234.5\"",
        "1,5",
        "9.9995",
        "abc",
        "1e3",
        "0.000",
    };
    private static final String[] OTHERS = {
        "Farmer Ada Okonkwo", "Ikorodu Lagos", "2300", "", "x\"y", "\"q, r\"", "é", "\"a\nb\"", "Store 2",
    };
    private static final String[] EOLS = {"\n", "\n", "\n", "\r\n", "\r"};

    /** Column orders: P for purchase, I for inventory; D date, O officer, V invoice, B birds, C chicken, G gizzard, X other. */
    private static final String[] LAYOUTS = {
        "P:DOVBCGXXX",
        "P:DOVBCG",
        "P:XDOVBCGX",
        "P:BCGVODX",
        "P:DOVBC",
        "P:GCBVOD",
        "I:DOBCGXX",
        "I:DOVBCGXX",
        "I:XXDOBC",
        "I:CBOD",
    };

    @Property(tries = 400)
    void fastPath_givesTheReferencePartial(@ForAll("layouts") String layout, @ForAll("seeds") long seed) {
        String text = tracker(layout, new Random(seed));
        Tracker tracker = layout.startsWith("P") ? Tracker.PURCHASE : Tracker.INVENTORY;
        assertThat(partial(text, tracker, true)).isEqualTo(partial(text, tracker, false));
    }

    /**
     * {@code invoices.csv}'s second pass reads through the fast path too: it must hand on the same accepted rows, in
     * the same order, with the same trimmed invoice (the inventory side's optional one included) and numbers.
     */
    @Property(tries = 400)
    void fastPath_handsTheSecondPassTheReferenceRows(@ForAll("layouts") String layout, @ForAll("seeds") long seed) {
        Tracker tracker = layout.startsWith("P") ? Tracker.PURCHASE : Tracker.INVENTORY;
        String text = tracker(layout, new Random(seed));
        List<String> fast = acceptedRows(text, tracker, true, false);
        assertThat(fast).isEqualTo(acceptedRows(text, tracker, false, false));
        // Wanting only some keys, as the second pass wants only the flagged ones: the fast path skips the rest of the
        // other keys' rows, and must still find where each record ends.
        List<String> some = acceptedRows(text, tracker, true, true);
        assertThat(some).isEqualTo(acceptedRows(text, tracker, false, true));
        assertThat(some).isSubsetOf(fast);
    }

    @Test
    void plainRows_takeTheFastPath_andCountAsTheReferenceDoes() {
        StringBuilder sb = new StringBuilder(header("DOVBCGX", Tracker.PURCHASE)).append('\n');
        for (int i = 0; i < 5000; i++) {
            sb.append("2024-01-0")
                    .append(1 + i / 1000)
                    .append(",Ada Obi,INV-")
                    .append(100000 + i)
                    .append(',')
                    .append(i % 400)
                    .append(',')
                    .append(i)
                    .append('.')
                    .append(i % 1000)
                    .append(',')
                    .append(i % 7)
                    .append(".5,Farmer\n");
        }
        String text = sb.toString();
        assertThat(partial(text, Tracker.PURCHASE, true)).isEqualTo(partial(text, Tracker.PURCHASE, false));
    }

    /**
     * A tracker larger than the reader's buffer, read through a stream that gives a few bytes at a time, and in
     * ranges: records cut by the buffer's end and by short reads give the same partials on both paths.
     */
    @Test
    void aTrackerLargerThanTheBuffer_throughShortReads_givesTheReferencePartials() {
        Random random = new Random(20);
        StringBuilder sb = new StringBuilder(header("DOVBCGX", Tracker.PURCHASE)).append('\n');
        while (sb.length() < 5 << 20) {
            String body = tracker("P:DOVBCGX", random);
            sb.append(body.substring(body.indexOf('\n') + 1)).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteSource chunky = new ByteSource() {
            @Override
            public String name() {
                return "purchase.csv";
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long from, long toHint) {
                Random reads = new Random(from);
                return new ByteArrayInputStream(bytes, (int) from, bytes.length - (int) from) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(
                                b, off, Math.min(len, 1 + reads.nextInt(reads.nextBoolean() ? 9000 : 300000)));
                    }
                };
            }
        };
        Layout layout = Layout.detect(chunky, Tracker.PURCHASE);
        long third = (layout.size() - layout.dataStart()) / 3;
        for (long start = layout.dataStart(); start < layout.size(); start += third) {
            long end = Math.min(layout.size(), start + third);
            String fast = encoded(new RangeReader(chunky, layout, DateOrder.DAY_FIRST, true).read(start, end, false));
            String reference =
                    encoded(new RangeReader(chunky, layout, DateOrder.DAY_FIRST, false).read(start, end, false));
            assertThat(fast).isEqualTo(reference);
        }
    }

    private static String encoded(Partial partial) {
        return HexFormat.of().formatHex(PartialCodec.toBytes(partial));
    }

    @Provide
    Arbitrary<String> layouts() {
        return Arbitraries.of(LAYOUTS);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static String header(String columns, Tracker tracker) {
        List<String> names = new ArrayList<>();
        boolean purchase = tracker == Tracker.PURCHASE;
        int other = 0;
        for (char c : columns.toCharArray()) {
            names.add(
                    switch (c) {
                        case 'D' -> "DATE";
                        case 'O' -> "PURCHASE OFFICER NAME";
                        case 'V' -> "INVOICE NUMBER";
                        case 'B' -> "NUMBER OF BIRDS";
                        case 'C' -> purchase ? "PURCHASED CHICKEN WEIGHT" : "INVENTORY CHICKEN WEIGHT";
                        case 'G' -> purchase ? "PURCHASED GIZZARD WEIGHT" : "INVENTORY GIZZARD WEIGHT";
                        default -> "NOTES " + other++;
                    });
        }
        return String.join(",", names);
    }

    /** A tracker of 0 to 300 rows: runs of plain rows, like a real tracker's, with messy cells and rows among them. */
    static String tracker(String layout, Random random) {
        Tracker tracker = layout.startsWith("P") ? Tracker.PURCHASE : Tracker.INVENTORY;
        String columns = layout.substring(2);
        StringBuilder sb = new StringBuilder(header(columns, tracker)).append(pick(EOLS, random));
        int rows = random.nextInt(300);
        int messiness = random.nextInt(4); // 0: all plain, up to 3: mostly messy
        int invoice = 100;
        for (int r = 0; r < rows; r++) {
            int kind = random.nextInt(40);
            if (kind == 0) {
                sb.append(random.nextBoolean() ? "" : " , ,");
            } else {
                List<String> cells = new ArrayList<>();
                for (char c : columns.toCharArray()) {
                    boolean messy = random.nextInt(12) < messiness;
                    cells.add(
                            switch (c) {
                                case 'D' -> messy ? pick(DATES, random) : DATES[random.nextInt(6)];
                                case 'O' -> messy ? pick(OFFICERS, random) : OFFICERS[random.nextInt(5)];
                                case 'V' ->
                                    messy
                                            ? pick(
                                                    new String[] {
                                                        "", " INV-7 ", "INV-" + random.nextInt(150), "\"INV,9\""
                                                    },
                                                    random)
                                            : "INV-" + (random.nextInt(8) == 0 ? invoice : invoice++);
                                case 'B' -> messy ? pick(WHOLES, random) : Integer.toString(random.nextInt(1000));
                                case 'C', 'G' ->
                                    messy ? pick(WEIGHTS, random) : random.nextInt(1000) + "." + random.nextInt(1000);
                                default -> pick(OTHERS, random);
                            });
                }
                if (random.nextInt(30) == 0) {
                    cells = cells.subList(0, random.nextInt(cells.size() + 1)); // a short row
                }
                if (random.nextInt(30) == 0) {
                    cells.add("extra");
                }
                sb.append(String.join(",", cells));
            }
            if (r + 1 < rows || random.nextBoolean()) {
                sb.append(pick(EOLS, random));
            }
        }
        return sb.toString();
    }

    private static String pick(String[] options, Random random) {
        return options[random.nextInt(options.length)];
    }

    /**
     * Each accepted row a pass hands on, as its key, invoice and numbers, or the error; with {@code someKeys}, only
     * the rows of the keys it wants, about half of them (chosen by the officer's name and the day).
     */
    private static List<String> acceptedRows(String text, Tracker tracker, boolean fastPath, boolean someKeys) {
        ByteSource source = ByteSource.of(tracker.name().toLowerCase() + ".csv", text.getBytes(StandardCharsets.UTF_8));
        List<String> rows = new ArrayList<>();
        try {
            Layout layout = Layout.detect(source, tracker);
            RangeReader reader = new RangeReader(source, layout, DateOrder.DAY_FIRST, fastPath);
            reader.read(layout.dataStart(), layout.size(), true, new RangeReader.AcceptedRows() {
                @Override
                public boolean wants(OfficerDictionary officers, int slot, long key) {
                    return !someKeys
                            || ((officers.name(KeyTable.officer(key)).hashCode() + KeyTable.epochDay(key)) & 1) == 0;
                }

                @Override
                public void accepted(
                        OfficerDictionary officers,
                        int slot,
                        long key,
                        byte[] invoice,
                        int from,
                        int to,
                        long birds,
                        long chicken,
                        long gizzard) {
                    if (wants(officers, slot, key)) {
                        rows.add(KeyTable.epochDay(key) + "|" + officers.name(KeyTable.officer(key)) + "|"
                                + (invoice == null ? "" : new String(invoice, from, to - from, StandardCharsets.UTF_8))
                                + "|" + birds + "|" + chicken + "|" + gizzard);
                    }
                }
            });
        } catch (RuntimeException e) {
            rows.add(e.getClass().getName() + ": " + e.getMessage());
        }
        return rows;
    }

    /** The partial of one pass over the whole tracker, encoded, or the error; by the fast path or the reference. */
    private static String partial(String text, Tracker tracker, boolean fastPath) {
        ByteSource source = ByteSource.of(tracker.name().toLowerCase() + ".csv", text.getBytes(StandardCharsets.UTF_8));
        try {
            Layout layout = Layout.detect(source, tracker);
            RangeReader reader = new RangeReader(source, layout, DateOrder.DAY_FIRST, fastPath);
            Partial partial = reader.read(layout.dataStart(), layout.size(), true);
            return HexFormat.of().formatHex(PartialCodec.toBytes(partial));
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
