package io.tally.functions.sheets;

import io.tally.core.Tracker;

/** A tracker in Google Sheets: {@code SPREADSHEET_ID[:SHEET]}, the sheet defaulting to the tracker's usual name. */
public record SheetRef(String spreadsheetId, String sheet) {
    public static SheetRef parse(String text, Tracker tracker) {
        int colon = text.indexOf(':');
        String id = colon < 0 ? text : text.substring(0, colon);
        String sheet = colon < 0 ? tracker.sheetName() : text.substring(colon + 1);
        if (id.isBlank() || sheet.isBlank()) {
            throw new IllegalArgumentException("the " + tracker.label() + " tracker must be SPREADSHEET_ID or "
                    + "SPREADSHEET_ID:SHEET, not '" + text + "'");
        }
        return new SheetRef(id.trim(), sheet);
    }
}
