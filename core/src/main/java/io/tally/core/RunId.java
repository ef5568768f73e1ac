package io.tally.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's id: 16 hex digits of a SHA-256 over what identifies its inputs and the options that change its
 * result. The same inputs with the same options always give the same id, on every path.
 */
public final class RunId {
    private RunId() {}

    /**
     * @param inputs what identifies the inputs, purchase first: their SHA-256 digests locally, their S3 keys
     *               and ETags in the serverless flow
     */
    public static String of(List<String> inputs, Tolerances tolerances, DateOrder dateOrder) {
        List<String> basis = new ArrayList<>(inputs);
        basis.add(tolerances.kg().toPlainString());
        basis.add(tolerances.pct().toPlainString());
        basis.add(dateOrder.cliName());
        return Digests.sha256Hex(String.join("|", basis).getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
    }
}
