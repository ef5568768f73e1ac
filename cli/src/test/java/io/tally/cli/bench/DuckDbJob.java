package io.tally.cli.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The reconciliation in DuckDB SQL, as one cold process, for the benchmark: {@code DuckDbJob PURCHASE INVENTORY
 * OUT.csv}. On a clean pair (the generator's, without {@code --messy}) it writes a {@code discrepancies.csv}
 * byte-identical to Tally's: officer names trimmed, inner spaces collapsed, compared without case and written
 * in title case; weights as DECIMAL(18,3); distinct trimmed invoices; the percentage rounded half-even in
 * integer arithmetic and never {@code -0.00}; the tolerance rule with exact decimals; rows sorted by date, then
 * officer. The messy forms of DATA.md (other date forms, units, separators, rejected rows) are not in the SQL.
 */
public final class DuckDbJob {
    private DuckDbJob() {}

    static final String SQL =
            """
        COPY (
          WITH p AS (
            SELECT "DATE" AS d, lower(regexp_replace(trim("PURCHASE OFFICER NAME"), '\\s+', ' ', 'g')) AS k,
                   sum("NUMBER OF BIRDS") AS b, sum("PURCHASED CHICKEN WEIGHT") AS c,
                   sum("PURCHASED GIZZARD WEIGHT") AS g, count(DISTINCT trim("INVOICE NUMBER")) AS inv
            FROM read_csv('%s', header = true, columns = {
              'DATE': 'DATE', 'PURCHASE OFFICER NAME': 'VARCHAR', 'INVOICE NUMBER': 'VARCHAR',
              'NUMBER OF BIRDS': 'BIGINT', 'PURCHASED CHICKEN WEIGHT': 'DECIMAL(18,3)',
              'PURCHASED GIZZARD WEIGHT': 'DECIMAL(18,3)', 'FARMER NAME': 'VARCHAR',
              'FARM LOCATION': 'VARCHAR', 'PRICE PER KG': 'VARCHAR'})
            GROUP BY ALL),
          i AS (
            SELECT "DATE" AS d, lower(regexp_replace(trim("PURCHASE OFFICER NAME"), '\\s+', ' ', 'g')) AS k,
                   sum("NUMBER OF BIRDS") AS b, sum("INVENTORY CHICKEN WEIGHT") AS c,
                   sum("INVENTORY GIZZARD WEIGHT") AS g
            FROM read_csv('%s', header = true, columns = {
              'DATE': 'DATE', 'PURCHASE OFFICER NAME': 'VARCHAR', 'INVOICE NUMBER': 'VARCHAR',
              'NUMBER OF BIRDS': 'BIGINT', 'INVENTORY CHICKEN WEIGHT': 'DECIMAL(18,3)',
              'INVENTORY GIZZARD WEIGHT': 'DECIMAL(18,3)', 'STORE': 'VARCHAR', 'RECEIVED BY': 'VARCHAR'})
            GROUP BY ALL),
          j AS (
            SELECT coalesce(p.d, i.d) AS d, coalesce(p.k, i.k) AS k, p.d IS NOT NULL AS has_p, i.d IS NOT NULL AS has_i,
                   coalesce(p.b, 0) AS pb, coalesce(i.b, 0) AS ib,
                   coalesce(p.c, 0)::DECIMAL(18,3) AS pc, coalesce(i.c, 0)::DECIMAL(18,3) AS ic,
                   coalesce(p.g, 0)::DECIMAL(18,3) AS pg, coalesce(i.g, 0)::DECIMAL(18,3) AS ig,
                   coalesce(p.inv, 0) AS inv
            FROM p FULL OUTER JOIN i ON p.d = i.d AND p.k = i.k),
          r AS (
            SELECT *, (pc - ic)::DECIMAL(18,3) AS cd, (pg - ig)::DECIMAL(18,3) AS gd,
                   abs((pc - ic) * 1000)::HUGEINT * 10000 AS num, (pc * 1000)::HUGEINT AS den,
                   array_to_string(list_transform(string_split(k, ' '), lambda w: upper(w[1]) || w[2:]), ' ') AS officer
            FROM j),
          h AS (
            SELECT *, CASE WHEN den = 0 THEN NULL ELSE
                     (num // den + CASE WHEN 2 * (num %% den) > den OR (2 * (num %% den) = den AND (num // den) %% 2 = 1)
                                        THEN 1 ELSE 0 END) * sign(cd) END AS hundredths
            FROM r)
          SELECT d AS date, officer, pb AS purchase_birds, ib AS inventory_birds, pb - ib AS bird_diff,
                 pc AS purchase_chicken_kg, ic AS inventory_chicken_kg, cd AS chicken_diff_kg,
                 CASE WHEN hundredths IS NULL THEN NULL
                      ELSE (CASE WHEN hundredths < 0 THEN '-' ELSE '' END) || (abs(hundredths) // 100)::VARCHAR || '.'
                           || lpad((abs(hundredths) %% 100)::VARCHAR, 2, '0') END AS chicken_diff_pct,
                 pg AS purchase_gizzard_kg, ig AS inventory_gizzard_kg, gd AS gizzard_diff_kg,
                 inv AS purchase_invoices,
                 CASE WHEN NOT has_i THEN 'MISSING_INVENTORY'
                      WHEN NOT has_p THEN 'MISSING_PURCHASE'
                      WHEN pb <> ib OR abs(cd) > greatest(0.5::DECIMAL(18,3), pc * 0.02)
                           OR abs(gd) > greatest(0.5::DECIMAL(18,3), pg * 0.02)
                      THEN 'DISCREPANCY' ELSE 'OK' END AS status
          FROM h
          ORDER BY date, officer
        ) TO '%s' (HEADER, DELIMITER ',')
        """;

    /**
     * {@code discrepancies.csv} and {@code invoices.csv} together, each input read once: each side summed per (date,
     * officer, trimmed invoice) into a table, {@code discrepancies.csv} from those sums per key (a purchase key's
     * distinct invoices are its groups), then {@code invoices.csv}: the sums of both sides joined on the invoice
     * within each key that is not {@code OK}, the tolerance rule per invoice, sorted by date, officer, invoice, the
     * inventory's invoice-less rows ({@code UNMATCHED}) last.
     */
    static final String[] BOTH = {
        """
        CREATE TEMP TABLE pi AS
        SELECT "DATE" AS d, lower(regexp_replace(trim("PURCHASE OFFICER NAME"), '\\s+', ' ', 'g')) AS k,
               trim("INVOICE NUMBER") AS inv, count(*) AS n, sum("NUMBER OF BIRDS") AS b,
               sum("PURCHASED CHICKEN WEIGHT") AS c, sum("PURCHASED GIZZARD WEIGHT") AS g
        FROM read_csv('%1$s', header = true, columns = {
          'DATE': 'DATE', 'PURCHASE OFFICER NAME': 'VARCHAR', 'INVOICE NUMBER': 'VARCHAR',
          'NUMBER OF BIRDS': 'BIGINT', 'PURCHASED CHICKEN WEIGHT': 'DECIMAL(18,3)',
          'PURCHASED GIZZARD WEIGHT': 'DECIMAL(18,3)', 'FARMER NAME': 'VARCHAR',
          'FARM LOCATION': 'VARCHAR', 'PRICE PER KG': 'VARCHAR'})
        GROUP BY ALL
        """,
        """
        CREATE TEMP TABLE ii AS
        SELECT "DATE" AS d, lower(regexp_replace(trim("PURCHASE OFFICER NAME"), '\\s+', ' ', 'g')) AS k,
               coalesce(trim("INVOICE NUMBER"), '') AS inv, count(*) AS n, sum("NUMBER OF BIRDS") AS b,
               sum("INVENTORY CHICKEN WEIGHT") AS c, sum("INVENTORY GIZZARD WEIGHT") AS g
        FROM read_csv('%2$s', header = true, columns = {
          'DATE': 'DATE', 'PURCHASE OFFICER NAME': 'VARCHAR', 'INVOICE NUMBER': 'VARCHAR',
          'NUMBER OF BIRDS': 'BIGINT', 'INVENTORY CHICKEN WEIGHT': 'DECIMAL(18,3)',
          'INVENTORY GIZZARD WEIGHT': 'DECIMAL(18,3)', 'STORE': 'VARCHAR', 'RECEIVED BY': 'VARCHAR'})
        GROUP BY ALL
        """,
        """
        CREATE TEMP TABLE h AS
          WITH p AS (SELECT d, k, sum(b) AS b, sum(c) AS c, sum(g) AS g, count(*) AS inv FROM pi GROUP BY d, k),
          i AS (SELECT d, k, sum(b) AS b, sum(c) AS c, sum(g) AS g FROM ii GROUP BY d, k),
          j AS (
            SELECT coalesce(p.d, i.d) AS d, coalesce(p.k, i.k) AS k, p.d IS NOT NULL AS has_p, i.d IS NOT NULL AS has_i,
                   coalesce(p.b, 0) AS pb, coalesce(i.b, 0) AS ib,
                   coalesce(p.c, 0)::DECIMAL(18,3) AS pc, coalesce(i.c, 0)::DECIMAL(18,3) AS ic,
                   coalesce(p.g, 0)::DECIMAL(18,3) AS pg, coalesce(i.g, 0)::DECIMAL(18,3) AS ig,
                   coalesce(p.inv, 0) AS inv
            FROM p FULL OUTER JOIN i ON p.d = i.d AND p.k = i.k),
          r AS (
            SELECT *, (pc - ic)::DECIMAL(18,3) AS cd, (pg - ig)::DECIMAL(18,3) AS gd,
                   abs((pc - ic) * 1000)::HUGEINT * 10000 AS num, (pc * 1000)::HUGEINT AS den,
                   array_to_string(list_transform(string_split(k, ' '), lambda w: upper(w[1]) || w[2:]), ' ') AS officer
            FROM j)
          SELECT *, CASE WHEN den = 0 THEN NULL ELSE
                   (num // den + CASE WHEN 2 * (num %% den) > den OR (2 * (num %% den) = den AND (num // den) %% 2 = 1)
                                      THEN 1 ELSE 0 END) * sign(cd) END AS hundredths,
                 CASE WHEN NOT has_i THEN 'MISSING_INVENTORY'
                      WHEN NOT has_p THEN 'MISSING_PURCHASE'
                      WHEN pb <> ib OR abs(cd) > greatest(0.5::DECIMAL(18,3), pc * 0.02)
                           OR abs(gd) > greatest(0.5::DECIMAL(18,3), pg * 0.02)
                      THEN 'DISCREPANCY' ELSE 'OK' END AS status
          FROM r
        """,
        """
        COPY (
          SELECT d AS date, officer, pb AS purchase_birds, ib AS inventory_birds, pb - ib AS bird_diff,
                 pc AS purchase_chicken_kg, ic AS inventory_chicken_kg, cd AS chicken_diff_kg,
                 CASE WHEN hundredths IS NULL THEN NULL
                      ELSE (CASE WHEN hundredths < 0 THEN '-' ELSE '' END) || (abs(hundredths) // 100)::VARCHAR || '.'
                           || lpad((abs(hundredths) %% 100)::VARCHAR, 2, '0') END AS chicken_diff_pct,
                 pg AS purchase_gizzard_kg, ig AS inventory_gizzard_kg, gd AS gizzard_diff_kg,
                 inv AS purchase_invoices, status
          FROM h
          ORDER BY date, officer
        ) TO '%3$s' (HEADER, DELIMITER ',')
        """,
        """
        COPY (
          WITH f AS (SELECT d, k, officer FROM h WHERE status <> 'OK'),
          x AS (
            SELECT coalesce(pi.d, ii.d) AS d, coalesce(pi.k, ii.k) AS k, coalesce(pi.inv, ii.inv) AS inv,
                   pi.d IS NOT NULL AS has_p, ii.d IS NOT NULL AS has_i,
                   coalesce(pi.n, 0) AS pn, coalesce(pi.b, 0) AS pb,
                   coalesce(pi.c, 0)::DECIMAL(18,3) AS pc, coalesce(pi.g, 0)::DECIMAL(18,3) AS pg,
                   coalesce(ii.n, 0) AS xn, coalesce(ii.b, 0) AS ib,
                   coalesce(ii.c, 0)::DECIMAL(18,3) AS ic, coalesce(ii.g, 0)::DECIMAL(18,3) AS ig
            FROM pi FULL OUTER JOIN ii ON pi.d = ii.d AND pi.k = ii.k AND pi.inv = ii.inv)
          SELECT x.d AS date, f.officer, CASE WHEN x.inv = '' THEN NULL ELSE x.inv END AS invoice,
                 pn AS purchase_rows, pb AS purchase_birds, pc AS purchase_chicken_kg, pg AS purchase_gizzard_kg,
                 xn AS inventory_rows, ib AS inventory_birds, ic AS inventory_chicken_kg, ig AS inventory_gizzard_kg,
                 pb - ib AS bird_diff, (pc - ic)::DECIMAL(18,3) AS chicken_diff_kg,
                 CASE WHEN x.inv = '' THEN 'UNMATCHED'
                      WHEN NOT has_i THEN 'NOT_RECEIVED'
                      WHEN NOT has_p THEN 'NOT_PURCHASED'
                      WHEN pb <> ib OR abs(pc - ic) > greatest(0.5::DECIMAL(18,3), pc * 0.02)
                           OR abs(pg - ig) > greatest(0.5::DECIMAL(18,3), pg * 0.02)
                      THEN 'DIFFERENT' ELSE 'MATCHED' END AS status
          FROM x JOIN f ON x.d = f.d AND x.k = f.k
          ORDER BY x.d, f.officer, x.inv = '', x.inv
        ) TO '%4$s' (HEADER, DELIMITER ',')
        """
    };

    /**
     * {@code DuckDbJob PURCHASE INVENTORY DISCREPANCIES.csv [INVOICES.csv]}: with the fourth argument, {@code
     * invoices.csv} too ({@link #BOTH}).
     */
    public static void main(String[] args) throws Exception {
        Class.forName("org.duckdb.DuckDBDriver");
        Object[] paths = new Object[args.length];
        for (int a = 0; a < args.length; a++) {
            paths[a] = Path.of(args[a]).toAbsolutePath();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
            if (args.length > 3) {
                for (String step : BOTH) {
                    s.execute(step.formatted(paths));
                }
            } else {
                s.execute(SQL.formatted(paths[0], paths[1], paths[2]));
            }
        }
    }
}
