package org.openaudience.audience;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.openaudience.base.CsvCells;

/**
 * The members CSV of PRODUCT.md §3.5, one writer for every way members leave the app (the download's ZIP, the
 * REST API's stream): one row per identity, a member without the chosen identities on one row with empty identity
 * columns, text cells neutralised for spreadsheets by {@link CsvCells}.
 */
final class MemberCsv implements Closeable {

    static final String[] HEADER = {"mpid", "scanned_timestamp_ms", "identity_value", "identity_type"};

    private final CSVPrinter csv;

    /** Writes the header at once. */
    MemberCsv(Writer out) throws IOException {
        this.csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).get());
    }

    /** @param scannedAt when the membership was read (epoch milliseconds), the same on every row of one file */
    void print(MemberRow row, long scannedAt) throws IOException {
        CsvCells.printRecord(csv, row.mpid(), scannedAt, row.identityValue(), row.identityType());
    }

    void flush() throws IOException {
        csv.flush();
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
