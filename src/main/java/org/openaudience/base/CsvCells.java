package org.openaudience.base;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;

/**
 * Cells of the CSV files we write (member downloads, file drops), which people open in spreadsheets. A text cell
 * starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return would be read as a formula
 * there ("CSV injection", OWASP), so it gets a leading single quote; Commons CSV does the quoting. Numbers we write
 * ourselves (MPIDs, timestamps) stay numbers: a negative MPID is a number, not a formula, and no one else chooses it.
 */
public final class CsvCells {

    private CsvCells() {
    }

    /** The text as a spreadsheet shows it but never evaluates it; null becomes an empty cell. */
    public static String neutralise(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> text;
        };
    }

    /** Prints one record: {@link Number}s as they are, everything else as neutralised text. */
    public static void printRecord(CSVPrinter csv, Object... cells) throws IOException {
        List<Object> safe = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            safe.add(cell instanceof Number ? cell : neutralise(cell == null ? null : cell.toString()));
        }
        csv.printRecord(safe);
    }
}
