package io.tally.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * One (date, officer, invoice) of {@code invoices.csv} while it is gathered: each side's accepted rows and sums.
 * Lines sort in the report's order ({@link #ORDER}) and are stored in sorted runs by {@link #write}/{@link #read}.
 */
final class InvoiceLine {
    /** Date, officer ({@code String.compareTo}), then invoice text, the empty invoice (UNMATCHED) last. */
    static final Comparator<InvoiceLine> ORDER = (a, b) -> {
        int c = Integer.compare(a.day, b.day);
        if (c != 0) {
            return c;
        }
        c = a.officer.compareTo(b.officer);
        return c != 0 ? c : compareInvoices(a.invoice, b.invoice);
    };

    final int day;
    final String officer;
    final String invoice;
    /** Per side (purchase, inventory): the rows and sums, or null when the side has no rows for the invoice. */
    Sums purchase;

    Sums inventory;

    InvoiceLine(int day, String officer, String invoice) {
        this.day = day;
        this.officer = officer;
        this.invoice = invoice;
    }

    static int compareInvoices(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        return a.compareTo(b);
    }

    Sums side(Tracker tracker) {
        if (tracker == Tracker.PURCHASE) {
            return purchase == null ? (purchase = new Sums()) : purchase;
        }
        return inventory == null ? (inventory = new Sums()) : inventory;
    }

    /** Adds {@code other}'s sides, which is the same (date, officer, invoice), into this line. */
    void absorb(InvoiceLine other) {
        if (other.purchase != null) {
            side(Tracker.PURCHASE).absorb(other.purchase);
        }
        if (other.inventory != null) {
            side(Tracker.INVENTORY).absorb(other.inventory);
        }
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(day);
        writeText(out, officer);
        writeText(out, invoice);
        out.writeByte((purchase != null ? 1 : 0) | (inventory != null ? 2 : 0));
        if (purchase != null) {
            purchase.write(out);
        }
        if (inventory != null) {
            inventory.write(out);
        }
    }

    /**
     * Writes a line as {@link #write(DataOutputStream)} does, from a collector's flat arrays: the invoice text is
     * {@code text[at, at + length)} in UTF-8, {@code sides} says which sides have rows (bit 1 purchase, bit 2
     * inventory), and {@code sums[from, from + 8)} are the purchase side's rows, birds, chicken and gizzard, then the
     * inventory side's, each within the {@code long} range.
     */
    static void write(
            DataOutputStream out,
            int day,
            byte[] officer,
            byte[] text,
            int at,
            int length,
            int sides,
            long[] sums,
            int from)
            throws IOException {
        out.writeInt(day);
        out.writeInt(officer.length);
        out.write(officer);
        out.writeInt(length);
        out.write(text, at, length);
        out.writeByte(sides);
        for (int side = 0; side < 2; side++) {
            if ((sides & (1 << side)) != 0) {
                int s = from + 4 * side;
                out.writeLong(sums[s]);
                out.writeBoolean(false);
                out.writeLong(sums[s + 1]);
                out.writeLong(sums[s + 2]);
                out.writeLong(sums[s + 3]);
            }
        }
    }

    /** The next line of a run, or null at its end; {@code previous}, the run's line before, lends its officer. */
    static InvoiceLine read(DataInputStream in, InvoiceLine previous) throws IOException {
        int day;
        try {
            day = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        String officer = readText(in);
        if (previous != null && previous.officer.equals(officer)) {
            officer = previous.officer; // one string a run of the same officer, so comparisons start equal
        }
        InvoiceLine line = new InvoiceLine(day, officer, readText(in));
        int sides = in.readByte();
        if ((sides & 1) != 0) {
            line.purchase = Sums.read(in);
        }
        if ((sides & 2) != 0) {
            line.inventory = Sums.read(in);
        }
        return line;
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * One side's accepted rows of an invoice and their sums (weights in thousandths), exact however large they grow:
     * a sum that would leave the {@code long} range continues as a {@link BigInteger}.
     */
    static final class Sums {
        long rows;
        private final long[] v = new long[3];
        private BigInteger[] wide;

        /** Sets the rows and sums, each within the {@code long} range, of sums that are empty. */
        void set(long rowCount, long birds, long chickenMilli, long gizzardMilli) {
            rows = rowCount;
            v[0] = birds;
            v[1] = chickenMilli;
            v[2] = gizzardMilli;
        }

        void add(long birds, long chickenMilli, long gizzardMilli) {
            rows++;
            add(0, birds);
            add(1, chickenMilli);
            add(2, gizzardMilli);
        }

        void absorb(Sums other) {
            rows += other.rows;
            for (int m = 0; m < 3; m++) {
                if (other.wide != null && other.wide[m] != null) {
                    widen(m);
                    wide[m] = wide[m].add(other.wide[m]);
                } else {
                    add(m, other.v[m]);
                }
            }
        }

        private void add(int m, long x) {
            if (wide != null && wide[m] != null) {
                wide[m] = wide[m].add(BigInteger.valueOf(x));
                return;
            }
            long r = v[m] + x;
            if (((v[m] ^ r) & (x ^ r)) < 0) {
                widen(m);
                wide[m] = wide[m].add(BigInteger.valueOf(x));
            } else {
                v[m] = r;
            }
        }

        private void widen(int m) {
            if (wide == null) {
                wide = new BigInteger[3];
            }
            if (wide[m] == null) {
                wide[m] = BigInteger.valueOf(v[m]);
                v[m] = 0;
            }
        }

        boolean isWide() {
            return wide != null;
        }

        long birds() {
            return v[0];
        }

        long chickenMilli() {
            return v[1];
        }

        long gizzardMilli() {
            return v[2];
        }

        BigInteger exact(int m) {
            return wide != null && wide[m] != null ? wide[m] : BigInteger.valueOf(v[m]);
        }

        void write(DataOutputStream out) throws IOException {
            out.writeLong(rows);
            out.writeBoolean(wide != null);
            for (int m = 0; m < 3; m++) {
                if (wide == null) {
                    out.writeLong(v[m]);
                } else {
                    byte[] b = exact(m).toByteArray();
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
        }

        static Sums read(DataInputStream in) throws IOException {
            Sums s = new Sums();
            s.rows = in.readLong();
            boolean wide = in.readBoolean();
            for (int m = 0; m < 3; m++) {
                if (!wide) {
                    s.v[m] = in.readLong();
                } else {
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    s.widen(m);
                    s.wide[m] = new BigInteger(b);
                }
            }
            return s;
        }
    }
}
