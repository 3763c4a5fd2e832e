package org.openaudience.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Data › Catalog: what a workspace has received, for everyone who may use the workspace. */
@Service
public class CatalogService {

    private final NamedParameterJdbcTemplate jdbc;
    private final AccessGuard guard;
    private final ObjectMapper json;

    CatalogService(NamedParameterJdbcTemplate jdbc, AccessGuard guard, ObjectMapper json) {
        this.jdbc = jdbc;
        this.guard = guard;
        this.json = json;
    }

    /** Event keys by group, then name; {@code group} null means all, {@code search} is a name substring. */
    @Transactional(readOnly = true)
    public List<CatalogEvent> events(long workspaceId, EventGroup group, String search, int offset, int limit) {
        guard.requireWorkspace(workspaceId);
        MapSqlParameterSource params = eventParams(workspaceId, group, search).addValue("limit", limit)
                .addValue("offset", offset);
        return jdbc.query("SELECT * FROM catalog_event" + eventWhere(group, search)
                + " ORDER BY FIELD(event_type, " + orderedTypes() + "), event_key LIMIT :limit OFFSET :offset",
                params, (rs, row) -> new CatalogEvent(rs.getString("event_type"), rs.getString("event_key"),
                        rs.getString("custom_event_type"), rs.getLong("event_count"),
                        rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant()));
    }

    @Transactional(readOnly = true)
    public int countEvents(long workspaceId, EventGroup group, String search) {
        guard.requireWorkspace(workspaceId);
        return jdbc.queryForObject("SELECT COUNT(*) FROM catalog_event" + eventWhere(group, search),
                eventParams(workspaceId, group, search), Integer.class);
    }

    /** The attributes seen on one event key, by name. */
    @Transactional(readOnly = true)
    public List<CatalogAttribute> eventAttributes(long workspaceId, String eventType, String eventKey) {
        guard.requireWorkspace(workspaceId);
        return jdbc.query("""
                        SELECT * FROM catalog_attribute WHERE workspace_id = :workspaceId AND event_type = :type
                        AND event_key = :key ORDER BY name""",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("type", eventType)
                        .addValue("key", eventKey), this::attribute);
    }

    @Transactional(readOnly = true)
    public List<CatalogAttribute> userAttributes(long workspaceId, String search, int offset, int limit) {
        guard.requireWorkspace(workspaceId);
        return jdbc.query("SELECT * FROM catalog_attribute" + userWhere(search)
                        + " ORDER BY name LIMIT :limit OFFSET :offset",
                userParams(workspaceId, search).addValue("limit", limit).addValue("offset", offset), this::attribute);
    }

    @Transactional(readOnly = true)
    public int countUserAttributes(long workspaceId, String search) {
        guard.requireWorkspace(workspaceId);
        return jdbc.queryForObject("SELECT COUNT(*) FROM catalog_attribute" + userWhere(search),
                userParams(workspaceId, search), Integer.class);
    }

    /** Whether the workspace has received events of this type and key (catalogued ones). */
    @Transactional(readOnly = true)
    public boolean hasEvent(long workspaceId, String eventType, String eventKey) {
        guard.requireWorkspace(workspaceId);
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM catalog_event"
                        + " WHERE workspace_id = :workspaceId AND event_type = :type AND event_key = :key)",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("type", eventType)
                        .addValue("key", eventKey), Boolean.class));
    }

    /** Names one input sent that the full catalog left out. */
    public record InputOverflow(long inputId, long droppedNames, Instant lastDroppedAt) {
    }

    /**
     * Which inputs sent the names the full catalog left out, most first — for members who manage inputs (they can
     * rotate a key that floods the catalog); empty for everyone else.
     */
    @Transactional(readOnly = true)
    public List<InputOverflow> overflowByInput(long workspaceId) {
        MemberAccess reader = guard.requireWorkspace(workspaceId);
        if (!reader.can(Capability.MANAGE_INPUTS)) {
            return List.of();
        }
        return jdbc.query("""
                        SELECT input_id, dropped_names, last_dropped_at FROM catalog_overflow_input
                        WHERE workspace_id = :id ORDER BY dropped_names DESC, input_id LIMIT 20""",
                new MapSqlParameterSource("id", workspaceId), (rs, row) -> new InputOverflow(rs.getLong(1),
                        rs.getLong(2), rs.getTimestamp(3).toInstant()));
    }

    /** How many new names were left out because the catalog was full ({@link CatalogWriter#MAX_NAMES}). */
    @Transactional(readOnly = true)
    public long droppedNames(long workspaceId) {
        guard.requireWorkspace(workspaceId);
        List<Long> dropped = jdbc.queryForList("SELECT dropped_names FROM catalog_overflow WHERE workspace_id = :id",
                new MapSqlParameterSource("id", workspaceId), Long.class);
        return dropped.isEmpty() ? 0 : dropped.get(0);
    }

    private static String eventWhere(EventGroup group, String search) {
        StringBuilder where = new StringBuilder(" WHERE workspace_id = :workspaceId");
        if (group != null) {
            where.append(" AND event_type IN (:types)");
        }
        if (search != null && !search.isBlank()) {
            where.append(" AND event_key LIKE :search");
        }
        return where.toString();
    }

    private static MapSqlParameterSource eventParams(long workspaceId, EventGroup group, String search) {
        MapSqlParameterSource params = new MapSqlParameterSource("workspaceId", workspaceId);
        if (group != null) {
            params.addValue("types", group.eventTypes());
        }
        if (search != null && !search.isBlank()) {
            params.addValue("search", like(search));
        }
        return params;
    }

    private static String userWhere(String search) {
        return " WHERE workspace_id = :workspaceId AND event_type = '" + CatalogWriter.USER_ATTRIBUTE_TYPE + "'"
                + (search != null && !search.isBlank()
                        // names are stored exactly (criteria match them so); searching them is forgiving
                        ? " AND name COLLATE utf8mb4_uca1400_ai_ci LIKE :search" : "");
    }

    private static MapSqlParameterSource userParams(long workspaceId, String search) {
        MapSqlParameterSource params = new MapSqlParameterSource("workspaceId", workspaceId);
        if (search != null && !search.isBlank()) {
            params.addValue("search", like(search));
        }
        return params;
    }

    private static String like(String search) {
        return "%" + search.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static String orderedTypes() {
        List<String> types = new ArrayList<>();
        for (EventGroup group : EventGroup.values()) {
            group.eventTypes().forEach(type -> types.add("'" + type + "'"));
        }
        return String.join(", ", types);
    }

    private CatalogAttribute attribute(ResultSet rs, int row) throws SQLException {
        long observations = rs.getLong("observations");
        DataType type = DataType.detect(observations, rs.getLong("numbers"), rs.getLong("booleans"),
                rs.getLong("dates"), rs.getLong("lists"));
        List<String> examples;
        try {
            examples = new ArrayList<>(new LinkedHashSet<>(json.readValue(rs.getString("examples"),
                    new TypeReference<List<String>>() { })));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("catalog_attribute.examples is not a JSON list of strings", e);
        }
        return new CatalogAttribute(rs.getString("name"), type, observations,
                examples.subList(0, Math.min(5, examples.size())), rs.getTimestamp("first_seen_at").toInstant(),
                rs.getTimestamp("last_seen_at").toInstant());
    }
}
