package io.tally.core;

/**
 * A row left out of every total, with why.
 *
 * @param row    1-based row number; relative to its range inside a partial, as the sheet shows it after
 *               {@link Partial#finish}
 * @param reason {@code CODE: detail}, e.g. {@code BAD_DATE: 31/02/2024}
 * @param raw    every cell as read, joined by {@code |}
 */
public record RejectedRow(long row, String reason, String raw) {}
