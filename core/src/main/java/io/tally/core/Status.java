package io.tally.core;

/** A key's verdict, in DATA.md's order of precedence. */
public enum Status {
    MISSING_INVENTORY,
    MISSING_PURCHASE,
    DISCREPANCY,
    OK
}
