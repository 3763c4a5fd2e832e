package org.openaudience.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openaudience.profile.Identity;

/** File drops are opened in spreadsheets: identity values that would run as formulas are written inert. */
class FileDropSenderTest {

    @TempDir
    Path root;

    @Test
    void identity_values_that_spreadsheets_would_run_as_formulas_get_a_leading_quote_and_numbers_stay_numbers()
            throws Exception {
        List<String> hostile = List.of("=HYPERLINK(\"https://evil.example\",\"Click\")", "+1", "-2", "@SUM(1)",
                "\t=1", "\r=1");
        List<Identity> identities = new java.util.ArrayList<>(hostile.stream()
                .map(value -> new Identity("customer_id", value)).toList());
        identities.add(new Identity("email", "ana@example.com"));
        identities.add(new Identity("other", "a=b+c-d@e"));
        Delivery delivery = new Delivery("c7-1", 1, 7, 42, "Paris", "=cmd|' /C calc'!A0", null, List.of(
                new MemberUpdate(-3951718253812734571L, identities, true, 1764410400000L)));
        Output output = new Output(1L, 3L, "Drop", OutputKind.FILE_DROP, null, null, null, "drops", 500, 8, "t",
                Instant.EPOCH, "t", Instant.EPOCH, 0);

        new FileDropSender(new FileDropRoot(root.toString())).send(output, delivery);

        Path file = root.resolve("workspace-3/drops").resolve(FileDropSender.fileName(delivery));
        List<CSVRecord> rows;
        try (Reader reader = Files.newBufferedReader(file)) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
        assertThat(rows).extracting(row -> row.get("identity_value")).containsExactly(
                "'=HYPERLINK(\"https://evil.example\",\"Click\")", "'+1", "'-2", "'@SUM(1)", "'\t=1", "'\r=1",
                "ana@example.com", "a=b+c-d@e");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("mpid")).as("a negative MPID is a number we write").isEqualTo("-3951718253812734571");
            assertThat(row.get("timestamp_ms")).isEqualTo("1764410400000");
            assertThat(row.get("external_name")).isEqualTo("'=cmd|' /C calc'!A0");
            assertThat(row.get("action")).isEqualTo("add");
        });
    }
}
