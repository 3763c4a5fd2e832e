package org.openaudience.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Values bound by their typed setters come back from MariaDB as they went in, over the app's own connections. */
@IntegrationTest
class MultiRowInsertTest {

    private static final MultiRowInsert INSERT = new MultiRowInsert("INSERT INTO multi_row_insert_probe (id, text_value,"
            + " long_value, int_value, double_value, flag, stamp, local_time, decimal_value)", 9, "", 2);

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void createTable() {
        jdbc.execute("""
                CREATE TABLE multi_row_insert_probe (id INT PRIMARY KEY, text_value VARCHAR(100) CHARACTER SET utf8mb4
                COLLATE utf8mb4_bin, long_value BIGINT, int_value INT, double_value DOUBLE, flag BOOLEAN,
                stamp DATETIME(3), local_time DATETIME(3), decimal_value DECIMAL(20, 4))""");
    }

    @AfterEach
    void dropTable() {
        jdbc.execute("DROP TABLE IF EXISTS multi_row_insert_probe");
    }

    @Test
    void every_kind_of_value_and_null_survive_a_multi_row_insert_spread_over_several_statements() {
        Timestamp stamp = Timestamp.from(Instant.parse("2026-03-29T01:30:00.123Z"));
        LocalDateTime local = LocalDateTime.parse("2026-10-25T02:45:59.999");
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1, "  Éléphant 象 😀 %_*? ", Long.MIN_VALUE, Integer.MAX_VALUE, 0.1, true, stamp, local,
                new BigDecimal("12345678.9876")});
        rows.add(new Object[] {2, "", Long.MAX_VALUE, Integer.MIN_VALUE, -1.5e300, false, null, null, null});
        rows.add(new Object[] {3, null, null, null, null, null, stamp, local, BigDecimal.ZERO});

        assertThat(INSERT.execute(jdbc, rows)).isEqualTo(3);

        List<List<Object>> stored = jdbc.query("SELECT * FROM multi_row_insert_probe ORDER BY id", (rs, n) -> Arrays.asList(
                rs.getInt("id"), rs.getString("text_value"), rs.getObject("long_value", Long.class),
                rs.getObject("int_value", Integer.class), rs.getObject("double_value", Double.class),
                rs.getObject("flag", Boolean.class), rs.getTimestamp("stamp"),
                rs.getObject("local_time", LocalDateTime.class), rs.getBigDecimal("decimal_value")));
        assertThat(stored).containsExactly(
                Arrays.asList(1, "  Éléphant 象 😀 %_*? ", Long.MIN_VALUE, Integer.MAX_VALUE, 0.1, true, stamp, local,
                        new BigDecimal("12345678.9876")),
                Arrays.asList(2, "", Long.MAX_VALUE, Integer.MIN_VALUE, -1.5e300, false, null, null, null),
                Arrays.asList(3, null, null, null, null, null, stamp, local, new BigDecimal("0.0000")));
    }
}
