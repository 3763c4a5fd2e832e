package org.openaudience.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Append-only storage of audit entries with filtered, newest-first paging. */
@Repository
class AuditEntryRepository {

    private final JdbcClient jdbc;

    AuditEntryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(AuditEntry entry) {
        jdbc.sql("""
                        INSERT INTO audit_entry (occurred_at, actor, action, target, detail, client_address, workspace_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(entry.occurredAt()), entry.actor(), entry.action().name(),
                        truncate(entry.target(), 255), truncate(entry.detail(), 1000), entry.clientAddress(),
                        entry.workspaceId())
                .update();
    }

    Stream<AuditEntry> page(AuditFilter filter, AuditScope scope, int offset, int limit) {
        Where where = where(filter, scope);
        List<Object> params = new ArrayList<>(where.params);
        params.add(limit);
        params.add(offset);
        return jdbc.sql("SELECT * FROM audit_entry" + where.sql + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(params)
                .query(AuditEntryRepository::map)
                .list()
                .stream();
    }

    int count(AuditFilter filter, AuditScope scope) {
        Where where = where(filter, scope);
        return jdbc.sql("SELECT COUNT(*) FROM audit_entry" + where.sql).params(where.params)
                .query(Integer.class).single();
    }

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(AuditFilter filter, AuditScope scope) {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (!scope.everything()) {
            if (scope.everyWorkspace()) {
                conditions.add("workspace_id IS NOT NULL");
            } else if (scope.workspaceIds().isEmpty()) {
                conditions.add("FALSE");
            } else {
                conditions.add("workspace_id IN (" + String.join(",", scope.workspaceIds().stream().map(id -> "?")
                        .toList()) + ")");
                params.addAll(scope.workspaceIds());
            }
        }
        if (filter.actions() != null && !filter.actions().isEmpty()) {
            conditions.add("action IN (" + String.join(",", filter.actions().stream().map(a -> "?").toList()) + ")");
            filter.actions().forEach(a -> params.add(a.name()));
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            conditions.add("(LOWER(actor) LIKE ? OR LOWER(target) LIKE ? OR LOWER(detail) LIKE ?)");
            String like = "%" + escapeLike(filter.text().trim().toLowerCase(Locale.ROOT)) + "%";
            params.add(like);
            params.add(like);
            params.add(like);
        }
        if (filter.from() != null) {
            conditions.add("occurred_at >= ?");
            params.add(Timestamp.from(filter.from()));
        }
        if (filter.until() != null) {
            conditions.add("occurred_at < ?");
            params.add(Timestamp.from(filter.until()));
        }
        String sql = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return new Where(sql, params);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"),
                AuditAction.valueOf(rs.getString("action")), rs.getString("target"), rs.getString("detail"),
                rs.getString("client_address"), rs.getObject("workspace_id", Long.class));
    }
}
