package org.openaudience.base;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Runs statements that MariaDB must plan afresh each time: compiled audience queries (derived tables, unions,
 * attribute indexes). The app's connections prepare statements on the server and the driver reuses them; MariaDB
 * then re-executes the first plan's structure, and for these queries it sometimes stopped reading the key index
 * alone (measured on 1M profiles: "Play Video ≥ 5 times" took 6.3 s instead of 0.9 s once its statements were
 * cached). Here the driver sends the statement as text, its values escaped, so the server plans it with them.
 */
@Component
public class FreshPlans {

    private final JdbcTemplate jdbc;

    FreshPlans(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public <T> List<T> query(String sql, List<Object> parameters, RowMapper<T> rows) {
        return jdbc.query(textStatement(sql, parameters), rows);
    }

    public List<Long> longs(String sql, List<Object> parameters) {
        return query(sql, parameters, (rs, n) -> rs.getLong(1));
    }

    /** A write sent as text too: thousands of values bind faster into text than into a server statement. */
    public int update(String sql, List<Object> parameters) {
        return jdbc.update(textStatement(sql, parameters));
    }

    /** {@link #update(String, List)} on a connection the caller holds (left open), in its transaction. */
    public static int update(Connection connection, String sql, List<Object> parameters) {
        return new JdbcTemplate(new SingleConnectionDataSource(connection, true))
                .update(textStatement(sql, parameters));
    }

    public long count(String sql, List<Object> parameters) {
        List<Long> counts = longs(sql, parameters);
        return counts.isEmpty() ? 0 : counts.get(0);
    }

    private static PreparedStatementCreator textStatement(String sql, List<Object> parameters) {
        return connection -> {
            PreparedStatement statement = prepareAsText(connection, sql);
            new ArgumentPreparedStatementSetter(parameters.toArray()).setValues(statement);
            return statement;
        };
    }

    private static PreparedStatement prepareAsText(Connection connection, String sql) throws SQLException {
        if (connection.isWrapperFor(org.mariadb.jdbc.Connection.class)) {
            // useBinary = false: a client-side prepared statement, never cached on the server
            return connection.unwrap(org.mariadb.jdbc.Connection.class).prepareInternal(sql,
                    Statement.NO_GENERATED_KEYS, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, false);
        }
        return connection.prepareStatement(sql);
    }
}
