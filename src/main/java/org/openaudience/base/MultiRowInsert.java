package org.openaudience.base;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One multi-row {@code INSERT … VALUES (…),(…)} per chunk of rows: MariaDB parses and applies it once, which is
 * several times faster than a JDBC batch of single-row inserts.
 *
 * @param prefix e.g. {@code INSERT INTO t (a, b)}
 * @param suffix e.g. {@code ON DUPLICATE KEY UPDATE …}, or empty
 */
public record MultiRowInsert(String prefix, int columns, String suffix, int rowsPerStatement) {

    public MultiRowInsert(String prefix, int columns, String suffix) {
        this(prefix, columns, suffix, 500);
    }

    /**
     * Inserts every row (each an array of {@code columns} values); returns the affected-row count. Values are bound
     * on the driver's statement directly ({@link #bind}): Spring's per-value type inference and clean-up pass cost
     * about a tenth of ingestion's CPU on thousands of values per request (measured with JFR on the ingest benchmark).
     */
    public int execute(JdbcTemplate jdbc, List<Object[]> rows) {
        int affected = 0;
        for (List<Object[]> chunk : chunks(rows)) {
            Object[] values = flatten(chunk);
            affected += jdbc.update(sql(chunk.size()), statement -> bind(statement, values));
        }
        return affected;
    }

    /**
     * Binds with the typed setter where the value's class has one: the driver's {@code setObject} asks its codecs one
     * after the other whether they take the value, which was a tenth of an Events API request's CPU (JFR on the ingest
     * benchmark, 13 values an event). Other classes (dates) still go through {@code setObject}.
     */
    static void bind(PreparedStatement statement, Object[] values) throws java.sql.SQLException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            int index = i + 1;
            if (value instanceof String text) {
                statement.setString(index, text);
            } else if (value instanceof Long number) {
                statement.setLong(index, number);
            } else if (value instanceof Integer number) {
                statement.setInt(index, number);
            } else if (value instanceof Double number) {
                statement.setDouble(index, number);
            } else if (value instanceof Boolean flag) {
                statement.setBoolean(index, flag);
            } else if (value instanceof java.sql.Timestamp time) {
                statement.setTimestamp(index, time);
            } else {
                statement.setObject(index, value);
            }
        }
    }

    /**
     * Inserts rows into a table with an AUTO_INCREMENT key and returns the generated keys in row order. MariaDB
     * reports only the first key of a multi-row insert; InnoDB gives a multi-row INSERT consecutive keys when
     * {@code innodb_autoinc_lock_mode} is 0 or 1 (1 is MariaDB's default), so the others follow from the first and
     * {@code auto_increment_increment}. With lock mode 2 callers must pass {@code consecutive = false}, which inserts
     * row by row.
     */
    public List<Long> executeReturningKeys(JdbcTemplate jdbc, List<Object[]> rows, boolean consecutive,
                                           int increment) {
        List<Long> keys = new ArrayList<>(rows.size());
        for (List<Object[]> chunk : consecutive ? chunks(rows) : rows.stream().map(List::<Object[]>of).toList()) {
            long first = jdbc.execute((java.sql.Connection connection) -> {
                try (PreparedStatement statement = connection.prepareStatement(sql(chunk.size()),
                        Statement.RETURN_GENERATED_KEYS)) {
                    bind(statement, flatten(chunk));
                    statement.executeUpdate();
                    try (ResultSet generated = statement.getGeneratedKeys()) {
                        if (!generated.next()) {
                            throw new IllegalStateException("The insert returned no generated key");
                        }
                        return generated.getLong(1);
                    }
                }
            });
            for (int i = 0; i < chunk.size(); i++) {
                keys.add(first + (long) i * increment);
            }
        }
        return keys;
    }

    private List<List<Object[]>> chunks(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return Collections.emptyList();
        }
        List<List<Object[]>> chunks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += rowsPerStatement) {
            chunks.add(rows.subList(from, Math.min(rows.size(), from + rowsPerStatement)));
        }
        return chunks;
    }

    private String sql(int rows) {
        String placeholders = "(" + String.join(",", Collections.nCopies(columns, "?")) + ")";
        return prefix + " VALUES " + String.join(",", Collections.nCopies(rows, placeholders))
                + (suffix.isEmpty() ? "" : " " + suffix);
    }

    private Object[] flatten(List<Object[]> rows) {
        Object[] values = new Object[rows.size() * columns];
        int i = 0;
        for (Object[] row : rows) {
            if (row.length != columns) {
                throw new IllegalArgumentException("Expected " + columns + " values per row, got " + row.length);
            }
            for (Object value : row) {
                values[i++] = value;
            }
        }
        return values;
    }

}
