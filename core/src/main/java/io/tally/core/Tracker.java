package io.tally.core;

import java.util.List;

/** The two sheets Tally reconciles, with their columns in the order DATA.md lists them. */
public enum Tracker {
    PURCHASE(
            "purchase",
            "Pullus Purchase Tracker",
            List.of(
                    new ColumnSpec(Column.DATE, "DATE", true),
                    new ColumnSpec(Column.OFFICER, "PURCHASE OFFICER NAME", true),
                    new ColumnSpec(Column.INVOICE, "INVOICE NUMBER", true),
                    new ColumnSpec(Column.BIRDS, "NUMBER OF BIRDS", true),
                    new ColumnSpec(Column.CHICKEN, "PURCHASED CHICKEN WEIGHT", true),
                    new ColumnSpec(Column.GIZZARD, "PURCHASED GIZZARD WEIGHT", false))),
    INVENTORY(
            "inventory",
            "Pullus Inventory Tracker",
            List.of(
                    new ColumnSpec(Column.DATE, "DATE", true),
                    new ColumnSpec(Column.OFFICER, "PURCHASE OFFICER NAME", true),
                    new ColumnSpec(Column.INVOICE, "INVOICE NUMBER", false),
                    new ColumnSpec(Column.BIRDS, "NUMBER OF BIRDS", true),
                    new ColumnSpec(Column.CHICKEN, "INVENTORY CHICKEN WEIGHT", true),
                    new ColumnSpec(Column.GIZZARD, "INVENTORY GIZZARD WEIGHT", false)));

    /** A column of a tracker: its role, its canonical header name, and whether the header must hold it. */
    public record ColumnSpec(Column column, String name, boolean required) {}

    private final String label;
    private final String sheetName;
    private final List<ColumnSpec> columns;

    Tracker(String label, String sheetName, List<ColumnSpec> columns) {
        this.label = label;
        this.sheetName = sheetName;
        this.columns = columns;
    }

    /** The lower-case name used in reports and object keys: {@code purchase} or {@code inventory}. */
    public String label() {
        return label;
    }

    public String sheetName() {
        return sheetName;
    }

    public List<ColumnSpec> columns() {
        return columns;
    }

    public ColumnSpec spec(Column column) {
        return columns.get(column.ordinal());
    }
}
