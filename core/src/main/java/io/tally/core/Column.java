package io.tally.core;

/** The role a column plays; both trackers have the same six roles in the same order. */
enum Column {
    DATE,
    OFFICER,
    INVOICE,
    BIRDS,
    CHICKEN,
    GIZZARD
}
