package org.openaudience.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

class CsvCellsTest {

    @Test
    void text_starting_like_a_formula_gets_a_leading_quote_and_everything_else_is_unchanged() {
        assertThat(CsvCells.neutralise("=1+2")).isEqualTo("'=1+2");
        assertThat(CsvCells.neutralise("+1")).isEqualTo("'+1");
        assertThat(CsvCells.neutralise("-2")).isEqualTo("'-2");
        assertThat(CsvCells.neutralise("@SUM(1)")).isEqualTo("'@SUM(1)");
        assertThat(CsvCells.neutralise("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.neutralise("\r=1")).isEqualTo("'\r=1");
        assertThat(CsvCells.neutralise("ana@example.com")).isEqualTo("ana@example.com");
        assertThat(CsvCells.neutralise(" =1")).isEqualTo(" =1");
        assertThat(CsvCells.neutralise("")).isEmpty();
        assertThat(CsvCells.neutralise(null)).isEmpty();
    }

    @Test
    void numbers_are_printed_as_numbers_and_text_is_neutralised_and_quoted_by_commons_csv() throws Exception {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            CsvCells.printRecord(csv, -42L, "-42", "=A1,B1", null);
        }
        assertThat(out.toString()).isEqualTo("-42,'-42,\"'=A1,B1\",\r\n");
    }
}
