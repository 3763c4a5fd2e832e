package org.openaudience.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Java and MariaDB fold text by one rule, character for character, over all of Unicode. */
@IntegrationTest
class TextRuleTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void mariadb_folds_every_code_point_exactly_as_java_does() {
        // MariaDB's sequence engine walks every code point; only those the rule changes come back
        Map<Integer, Integer> bySql = new HashMap<>();
        jdbc.sql("SELECT seq, CONV(HEX(CONVERT(" + TextRule.sql("CONVERT(CHAR(seq USING utf32) USING utf8mb4)")
                        + " USING utf32)), 16, 10) FROM seq_1_to_1114111 WHERE seq NOT BETWEEN 55296 AND 57343")
                .query((rs, row) -> bySql.put(rs.getInt(1), rs.getInt(2))).list();
        assertThat(bySql).hasSize(0x10FFFF - 0x800);
        Map<Integer, Integer> differentInSql = new HashMap<>();
        Map<Integer, Integer> differentInJava = new HashMap<>();
        bySql.forEach((codePoint, folded) -> {
            if (!folded.equals(codePoint)) {
                differentInSql.put(codePoint, folded);
            }
            int java = TextRule.fold(codePoint);
            if (java != codePoint) {
                differentInJava.put(codePoint, java);
            }
        });
        assertThat(differentInJava).hasSizeGreaterThan(1_400).isEqualTo(differentInSql);
    }

    @ParameterizedTest(name = "\"{0}\" and \"{1}\" are {2}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "São Paulo|SÃO PAULO|equal",
            "São Paulo|sao paulo|different",
            "München|munchen|different",
            "Gold |gold|different",
            " gold|gold|different",
            "ΟΔΟΣ|οδος|equal",
            "ǅemal|ǄEMAL|equal",
            "ẞ|ß|equal",
            "ß|ss|different",
            "Sa\u0303o|São|different",
            "東京|東京|equal",
            "МОСКВА|москва|equal",
            "😀 FUN|😀 fun|equal",
            "a%b|A%B|equal",
            "a_b|axb|different"})
    void texts_compare_case_insensitively_and_in_no_other_way_in_java_and_in_sql(String a, String b, String verdict) {
        boolean equal = verdict.equals("equal");
        assertThat(TextRule.equal(a, b)).isEqualTo(equal);
        assertThat(jdbc.sql("SELECT " + TextRule.sql("CONVERT(? USING utf8mb4)") + " = "
                        + TextRule.sql("CONVERT(? USING utf8mb4)")).params(a, b).query(Boolean.class).single())
                .isEqualTo(equal);
    }
}
