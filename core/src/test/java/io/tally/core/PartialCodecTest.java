package io.tally.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PartialCodecTest {
    private static final String CSV =
            "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,PURCHASED CHICKEN WEIGHT\n"
                    + "2024-01-01,Ada,I1,3,4.5\n2024-01-01,ADA,I2,1,1\nbad,Ada,I3,1,1\n2024-01-02,Bo,I1,1,1\n";

    @Test
    void roundTrip_keepsTotalsSegmentsAndRejectedRows() throws IOException {
        Partial p = read();
        byte[] bytes = encode(p);
        Partial back = PartialCodec.read(new ByteArrayInputStream(bytes));
        assertThat(back.segments()).isEqualTo(p.segments());
        assertThat(back.keyCount()).isEqualTo(2);
        assertThat(encode(back)).isEqualTo(bytes);
    }

    @Test
    void read_refusesOtherVersions_truncationAndGarbage() throws IOException {
        byte[] bytes = encode(read());
        byte[] otherVersion = bytes.clone();
        otherVersion[5] = 9;
        assertThatThrownBy(() -> PartialCodec.read(new ByteArrayInputStream(otherVersion)))
                .hasMessageContaining("version 9 is not supported");
        assertThatThrownBy(() -> PartialCodec.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 3))))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() ->
                        PartialCodec.read(new ByteArrayInputStream("hello world".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("not a Tally partial");
    }

    private static Partial read() {
        ByteSource s = ByteSource.of("p.csv", CSV.getBytes(StandardCharsets.UTF_8));
        Layout l = Layout.detect(s, Tracker.PURCHASE);
        return new Reconcile(DateOrder.DAY_FIRST).reader(l, s).read(l.dataStart(), l.size(), true);
    }

    private static byte[] encode(Partial p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PartialCodec.write(p, out);
        return out.toByteArray();
    }
}
