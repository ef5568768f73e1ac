package io.tally.core.sample;

import io.tally.core.internal.Numbers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a realistic pair of trackers: officers buying every day of a year, about 20 purchase rows per
 * (date, officer), deliveries that lose a little weight (and sometimes a lot, or some birds), and keys
 * missing on either side. With {@code messy}, the files look like real sheet exports: title rows, odd
 * header spellings, extra columns, every date form, units and separators, bad rows, blank rows, quoted
 * newlines and CRLF line ends. Streams in constant memory; the same seed gives the same bytes.
 */
public final class SampleGenerator {
    public static final String PURCHASE_FILE = "purchase.csv";
    public static final String INVENTORY_FILE = "inventory.csv";

    private static final String[] FIRST = {
        "Ada", "Bola", "Chidi", "Dayo", "Emeka", "Funmi", "Gbenga", "Halima", "Ibrahim", "Jide", "Kemi", "Lola",
        "Musa", "Ngozi", "Obinna", "Peace", "Quadri", "Rita", "Segun", "Tunde", "Uche", "Victor", "Wale", "Yemi",
        "Zainab", "Amaka", "Bisi", "Chioma", "Dapo", "Efe", "Femi", "Grace", "Hauwa", "Ifeanyi", "Joy", "Kunle",
        "Lanre", "Mariam", "Nkechi", "Ola"
    };
    private static final String[] LAST = {
        "Obi",
        "Adeyemi",
        "Okafor",
        "Bello",
        "Eze",
        "Okonkwo",
        "Abubakar",
        "Adebayo",
        "Nwosu",
        "Ibrahim",
        "Balogun",
        "Chukwu",
        "Danjuma",
        "Ekwueme",
        "Fashola",
        "Garba",
        "Haruna",
        "Igwe",
        "Jimoh",
        "Kalu",
        "Lawal",
        "Mohammed",
        "Nnamdi",
        "Ogunleye",
        "Okeke",
        "Oyelaran",
        "Salami",
        "Tijani",
        "Umeh",
        "Yusuf",
        "O'Neil",
        "Nwachukwu",
        "Akande",
        "Bakare",
        "Coker",
        "Dikko",
        "Egbe",
        "Falana",
        "Gambo",
        "Hassan"
    };
    private static final String[] LOCATIONS = {
        "Ikorodu Lagos",
        "Abeokuta Ogun",
        "Ibadan Oyo",
        "Ilorin Kwara",
        "Akure Ondo",
        "Osogbo Osun",
        "Minna Niger",
        "Jos Plateau",
        "Kaduna North",
        "Enugu East"
    };
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);
    private static final int DAYS = 366;
    private static final int ROWS_PER_KEY = 20;

    /**
     * @param rows   purchase rows to write (messy adds noise rows on top)
     * @param seed   random seed
     * @param messy  whether to make the files look like messy real exports
     */
    public record Options(long rows, long seed, boolean messy) {
        public Options {
            if (rows < 0) {
                throw new IllegalArgumentException("rows must not be negative");
            }
        }
    }

    /** What was written. */
    public record Written(Path purchase, Path inventory, long purchaseRows, long inventoryRows) {}

    private final Options options;
    private final SplittableRandom random;
    private final List<String> officers;
    private long nextInvoice = 100_000;

    public SampleGenerator(Options options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        long keys = Math.max(1, (options.rows() + ROWS_PER_KEY - 1) / ROWS_PER_KEY);
        int perDay = (int) Math.max(2, (keys + DAYS - 1) / DAYS);
        this.officers = officerNames(perDay + 2, options.messy());
    }

    public Written write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(PURCHASE_FILE);
        Path i = dir.resolve(INVENTORY_FILE);
        try (Writer pw = new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(p), StandardCharsets.UTF_8), 1 << 20);
                Writer iw = new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(i), StandardCharsets.UTF_8), 1 << 20)) {
            Out purchase = new Out(pw, options.messy() ? "\r\n" : "\n");
            Out inventory = new Out(iw, "\n");
            header(purchase, inventory);
            long[] counts = body(purchase, inventory);
            if (options.messy()) {
                for (int k = 0; k < 5; k++) {
                    purchase.line(",,,,,,");
                    inventory.line(",,,,,,");
                }
            }
            return new Written(p, i, counts[0], counts[1]);
        }
    }

    private void header(Out p, Out i) throws IOException {
        if (!options.messy()) {
            p.line("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT,"
                    + "PURCHASED GIZZARD WEIGHT,FARMER NAME,FARM LOCATION,PRICE PER KG");
            i.line("DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT,"
                    + "INVENTORY GIZZARD WEIGHT,STORE,RECEIVED BY");
            return;
        }
        p.line("Pullus Purchase Tracker,,,,,,");
        p.line("\"Exported from Google Sheets, all officers\",,,,,,");
        p.line(",,,,,,");
        p.line(" Date ,Purchase  Officer Name,invoice number,NUMBER OF BIRDS,Purchased Chicken Weight ,"
                + "purchased gizzard weight,Notes");
        i.line("Pullus Inventory Tracker");
        i.line("Notes,DATE,PURCHASE OFFICER NAME,Number Of Birds,INVENTORY CHICKEN WEIGHT,Inventory Gizzard Weight,"
                + "INVOICE NUMBER,Store");
    }

    private long[] body(Out p, Out i) throws IOException {
        long remaining = options.rows();
        long purchaseRows = 0;
        long inventoryRows = 0;
        int perDay = officers.size() - 2;
        for (int day = 0; remaining > 0; day = (day + 1) % DAYS) {
            LocalDate date = FIRST_DAY.plusDays(day);
            for (int o = 0; o < perDay && remaining > 0; o++) {
                String officer = officers.get(o);
                double roll = random.nextDouble();
                int n = (int) Math.min(remaining, 10 + random.nextInt(21));
                if (roll < 0.01) {
                    // Delivered, but no purchase was recorded.
                    inventoryRows += deliveries(
                            i,
                            date,
                            officer,
                            60 + random.nextInt(200),
                            (long) (60 + random.nextInt(200)) * 2_100,
                            9_000,
                            1 + random.nextInt(3));
                    continue;
                }
                long birds = 0;
                long chicken = 0;
                long gizzard = 0;
                long invoice = nextInvoice;
                for (int r = 0; r < n; r++) {
                    if (r == 0 || random.nextDouble() >= 0.1) {
                        invoice = nextInvoice++;
                    }
                    int b = 20 + random.nextInt(380);
                    long c = b * (1_800L + random.nextInt(800));
                    long g = b * (40L + random.nextInt(20));
                    birds += b;
                    chicken += c;
                    gizzard += g;
                    purchaseRow(p, date, officer, invoice, b, c, g);
                    purchaseRows++;
                    noise(p, true);
                }
                remaining -= n;
                if (roll < 0.03) {
                    continue; // bought, never reached the store
                }
                long lostBirds = random.nextDouble() < 0.05 ? 1 + random.nextInt(3) : 0;
                double lossRate =
                        random.nextDouble() < 0.12 ? 0.03 + random.nextDouble() * 0.05 : random.nextDouble() * 0.01;
                long lostChicken = (long) (chicken * lossRate);
                long lostGizzard = (long) (gizzard * random.nextDouble() * 0.01);
                inventoryRows += deliveries(
                        i,
                        date,
                        officer,
                        birds - lostBirds,
                        chicken - lostChicken,
                        gizzard - lostGizzard,
                        Math.max(1, n + random.nextInt(3) - 1));
            }
        }
        return new long[] {purchaseRows, inventoryRows};
    }

    /** Splits a key's inventory totals over {@code m} delivery rows. */
    private long deliveries(Out i, LocalDate date, String officer, long birds, long chicken, long gizzard, int m)
            throws IOException {
        m = (int) Math.max(1, Math.min(m, birds));
        long leftB = birds;
        long leftC = chicken;
        long leftG = gizzard;
        for (int r = 0; r < m; r++) {
            int rest = m - r;
            long b = rest == 1 ? leftB : leftB / rest;
            long c = rest == 1 ? leftC : leftC / rest;
            long g = rest == 1 ? leftG : leftG / rest;
            leftB -= b;
            leftC -= c;
            leftG -= g;
            inventoryRow(i, date, officer, b, c, g);
            noise(i, false);
        }
        return m;
    }

    private void purchaseRow(
            Out out, LocalDate date, String officer, long invoice, long birds, long chicken, long gizzard)
            throws IOException {
        StringBuilder sb = out.sb;
        sb.setLength(0);
        if (!options.messy()) {
            sb.append(date)
                    .append(',')
                    .append(officer)
                    .append(",INV-")
                    .append(invoice)
                    .append(',')
                    .append(birds)
                    .append(',');
            milli(sb, chicken);
            sb.append(',');
            milli(sb, gizzard);
            sb.append(",Farmer ")
                    .append(FIRST[(int) (invoice % FIRST.length)])
                    .append(' ')
                    .append(LAST[(int) (invoice / 7 % LAST.length)])
                    .append(',')
                    .append(LOCATIONS[(int) (invoice % LOCATIONS.length)])
                    .append(',')
                    .append(1_900 + invoice % 600);
        } else {
            sb.append(date(date))
                    .append(',')
                    .append(name(officer))
                    .append(",INV-")
                    .append(invoice)
                    .append(',')
                    .append(birds)
                    .append(',')
                    .append(weight(chicken))
                    .append(',')
                    .append(weight(gizzard))
                    .append(',')
                    .append(note());
        }
        out.line(sb);
    }

    private void inventoryRow(Out out, LocalDate date, String officer, long birds, long chicken, long gizzard)
            throws IOException {
        StringBuilder sb = out.sb;
        sb.setLength(0);
        if (!options.messy()) {
            sb.append(date)
                    .append(',')
                    .append(officer)
                    .append(",DLV-")
                    .append(nextInvoice + birds)
                    .append(',')
                    .append(birds)
                    .append(',');
            milli(sb, chicken);
            sb.append(',');
            milli(sb, gizzard);
            sb.append(",Store ")
                    .append(1 + (birds & 3))
                    .append(",Received by ")
                    .append(FIRST[(int) (birds % FIRST.length)]);
        } else {
            sb.append(note())
                    .append(',')
                    .append(date(date))
                    .append(',')
                    .append(name(officer))
                    .append(',')
                    .append(birds)
                    .append(',')
                    .append(weight(chicken))
                    .append(',')
                    .append(weight(gizzard))
                    .append(",,Store ")
                    .append(1 + random.nextInt(4));
        }
        out.line(sb);
    }

    /** In messy files, now and then a blank row or a row that breaks a rule. */
    private void noise(Out out, boolean purchase) throws IOException {
        if (!options.messy()) {
            return;
        }
        double r = random.nextDouble();
        if (r < 0.004) {
            out.line(random.nextBoolean() ? ",,,,,," : "");
        } else if (r < 0.012) {
            String[] bad = purchase
                    ? new String[] {
                        "31/02/2024,Ada Obi,INV-9,10,20.5,1.0,bad date",
                        "2024-03-01,,INV-9,10,20.5,1.0,no officer",
                        "2024-03-01,Ada Obi,,10,20.5,1.0,no invoice",
                        "2024-03-01,Ada Obi,INV-9,12.5,20.5,1.0,half a bird",
                        "2024-03-01,Ada Obi,INV-9,,20.5,1.0,no birds",
                        "2024-03-01,Ada Obi,INV-9,10,-20.5,1.0,negative",
                        "2024-03-01,Ada Obi,INV-9,10,twenty,1.0,words",
                        "2024-13-01,Ada Obi,INV-9,10,20.5,1.0,month 13",
                        "\"=HYPERLINK(\"\"x\"\")\",Ada Obi,INV-9,10,20.5,1.0,formula date",
                        "2024-03-01,Ada Obi,INV-9,10,20.5,1.0.0,bad gizzard"
                    }
                    : new String[] {
                        "bad date,Feb 30, 2024,Ada Obi,10,20.5,1.0,,Store 1",
                        "no officer,2024-03-01,  ,10,20.5,1.0,,Store 1",
                        "no weight,2024-03-01,Ada Obi,10,,1.0,,Store 1",
                        "negative birds,2024-03-01,Ada Obi,-3,20.5,1.0,,Store 1",
                        "\"multi\nline note\",2024-03-01,Ada Obi,ten,20.5,1.0,,Store 1",
                        "negative gizzard,2024-03-01,Ada Obi,10,20.5,-0.5,,Store 1"
                    };
            out.line(bad[random.nextInt(bad.length)]);
        }
    }

    private String date(LocalDate d) {
        return switch (random.nextInt(8)) {
            case 0 -> d.toString();
            case 1 -> d.getDayOfMonth() + "/" + d.getMonthValue() + "/" + d.getYear();
            case 2 -> String.format(Locale.ROOT, "%02d/%02d/%d", d.getDayOfMonth(), d.getMonthValue(), d.getYear());
            case 3 -> d.getDayOfMonth() + "-" + month(d) + "-" + d.getYear();
            case 4 -> d.getDayOfMonth() + " " + month(d).toUpperCase(Locale.ROOT) + " " + d.getYear();
            case 5 -> "\"" + month(d) + " " + d.getDayOfMonth() + ", " + d.getYear() + "\"";
            case 6 -> Long.toString(d.toEpochDay() - LocalDate.of(1899, 12, 30).toEpochDay());
            default -> " " + d + " ";
        };
    }

    private static String month(LocalDate d) {
        return d.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH).substring(0, 3);
    }

    private String name(String officer) {
        return switch (random.nextInt(6)) {
            case 0 -> officer.toUpperCase(Locale.ROOT);
            case 1 -> "  " + officer.toLowerCase(Locale.ROOT).replace(" ", "   ") + " ";
            default -> officer.contains(",") ? "\"" + officer + "\"" : officer;
        };
    }

    /** A weight in one of the forms people type; all of them read back to the same thousandths. */
    private String weight(long milli) {
        StringBuilder sb = new StringBuilder();
        switch (random.nextInt(7)) {
            case 0 -> {
                milli(sb, milli);
                sb.append("kg");
            }
            case 1 -> {
                milli(sb, milli);
                sb.append(" KG");
            }
            case 2 -> {
                sb.append("\"");
                grouped(sb, milli);
                sb.append("\"");
            }
            case 3 -> {
                milli(sb, milli);
                if ((milli & 1) == 0) {
                    sb.append('5'); // half-even: an even last digit stays
                }
            }
            case 4 -> {
                sb.append(' ');
                milli(sb, milli);
                sb.append(' ');
            }
            default -> milli(sb, milli);
        }
        return sb.toString();
    }

    private String note() {
        return switch (random.nextInt(12)) {
            case 0 -> "\"checked, ok\"";
            case 1 -> "\"driver said \"\"late\"\"\"";
            case 2 -> "\"two crates\nshort on arrival\"";
            case 3 -> "\"line one\r\nline two, with comma\"";
            default -> "";
        };
    }

    private static void milli(StringBuilder sb, long milli) {
        Numbers.appendMilli(sb, milli);
    }

    private static void grouped(StringBuilder sb, long milli) {
        sb.append(String.format(Locale.ROOT, "%,d", milli / 1000)).append('.');
        long f = milli % 1000;
        sb.append(String.format(Locale.ROOT, "%03d", f));
    }

    private static List<String> officerNames(int count, boolean messy) {
        List<String> names = new ArrayList<>(count);
        if (messy) {
            names.add("=Cmd Officer");
        }
        for (int k = 0; names.size() < count; k++) {
            String first = FIRST[k % FIRST.length];
            String last = LAST[(k / FIRST.length + k) % LAST.length];
            int round = k / (FIRST.length * LAST.length);
            names.add(
                    round == 0
                            ? first + " " + last
                            : first + " " + (char) ('A' + round % 26) + ". " + last + " " + round);
        }
        return names;
    }

    /** A writer with its line end and a reusable buffer. */
    private static final class Out {
        final Writer w;
        final String eol;
        final StringBuilder sb = new StringBuilder(256);

        Out(Writer w, String eol) {
            this.w = w;
            this.eol = eol;
        }

        void line(CharSequence s) throws IOException {
            w.append(s).append(eol);
        }
    }
}
