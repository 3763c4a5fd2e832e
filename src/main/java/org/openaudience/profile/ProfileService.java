package org.openaudience.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.ProfileFacts;
import org.openaudience.event.EventStore;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users › Lookup: find a profile by MPID, customer id, email or device id, with its latest events. */
@Service
public class ProfileService {

    public static final int LATEST_EVENTS = 100;

    private final NamedParameterJdbcTemplate jdbc;
    private final EventStore events;
    private final AccessGuard guard;
    private final ObjectMapper json;
    private final IdentityConflicts conflicts;

    ProfileService(NamedParameterJdbcTemplate jdbc, EventStore events, AccessGuard guard, ObjectMapper json,
                   IdentityConflicts conflicts) {
        this.jdbc = jdbc;
        this.conflicts = conflicts;
        this.events = events;
        this.guard = guard;
        this.json = json;
    }

    @Transactional(readOnly = true)
    public Optional<Profile> lookup(long workspaceId, LookupKind kind, String value) {
        guard.require(Capability.LOOK_UP_USERS, workspaceId);
        if (IdentityRule.isBlank(value)) {
            throw new InvalidRequestException("value", "Enter a value to look up.");
        }
        Optional<Long> mpid = switch (kind) {
            case MPID -> Optional.of(parseMpid(value.strip()));
            case EMAIL -> mpidOf(workspaceId, kind, IdentityRule.normalize("email", value));
            // ids match exactly (IdentityRule); a value pasted with stray spaces is tried without them next
            default -> mpidOf(workspaceId, kind, value).or(() -> mpidOf(workspaceId, kind, value.strip()));
        };
        return mpid.flatMap(id -> profile(workspaceId, id));
    }

    /**
     * Everything the criteria evaluator needs about one profile, to explain its verdict; empty when the profile does
     * not exist. Callers check access (the audience's workspace).
     */
    @Transactional(readOnly = true)
    public Optional<ProfileFacts> facts(long workspaceId, long mpid) {
        List<ProfileFacts> found = jdbc.query("SELECT * FROM profile WHERE workspace_id = :workspaceId AND mpid = :mpid",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpid", mpid),
                (rs, row) -> new ProfileFacts(mpid, tree(rs.getString("user_attributes")),
                        tree(rs.getString("identities")), tree(rs.getString("device_info")),
                        tree(rs.getString("platforms")), rs.getString("country"), rs.getString("region"),
                        rs.getString("city"), rs.getTimestamp("first_seen_at").toInstant(),
                        rs.getTimestamp("last_seen_at").toInstant(), List.of()));
        return found.stream().findFirst().map(profile -> new ProfileFacts(profile.mpid(), profile.userAttributes(),
                profile.identities(), profile.deviceInfo(), profile.platforms(), profile.country(), profile.region(),
                profile.city(), profile.firstSeen(), profile.lastSeen(), events.allOfProfile(workspaceId, mpid).stream()
                .map(e -> new ProfileFacts.EventFact(e.eventType(), e.eventKey(), e.customEventType(), e.inputId(),
                        e.eventTime(), tree(e.attributesJson()))).toList()));
    }

    /**
     * The identities of the given types of these profiles, by MPID (profiles without any are absent). For background
     * delivery to outputs: the caller checked access when the connection was made.
     */
    @Transactional(readOnly = true)
    public Map<Long, List<Identity>> identitiesOf(long workspaceId, Collection<Long> mpids, Collection<String> types) {
        Map<Long, List<Identity>> found = new HashMap<>();
        if (mpids.isEmpty() || types.isEmpty()) {
            return found;
        }
        jdbc.query("""
                        SELECT mpid, identity_type, identity_value FROM profile_identity
                        WHERE workspace_id = :workspaceId AND mpid IN (:mpids) AND identity_type IN (:types)
                        ORDER BY mpid, identity_type, identity_value""",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpids", mpids)
                        .addValue("types", types),
                (ResultSet rs) -> {
                    found.computeIfAbsent(rs.getLong(1), mpid -> new ArrayList<>())
                            .add(new Identity(rs.getString(2), rs.getString(3)));
                });
        return found;
    }

    private JsonNode tree(String json) {
        try {
            return this.json.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Profile and event columns hold JSON written by ingestion", e);
        }
    }

    private static long parseMpid(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("value", "An MPID is a whole number, e.g. -3951718253812734571.");
        }
    }

    private Optional<Long> mpidOf(long workspaceId, LookupKind kind, String value) {
        return jdbc.queryForList("""
                        SELECT mpid FROM profile_identity WHERE workspace_id = :workspaceId
                        AND identity_type IN (:types) AND identity_value = :value LIMIT 1""",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("types", kind.identityTypes())
                        .addValue("value", value), Long.class).stream().findFirst();
    }

    private Optional<Profile> profile(long workspaceId, long mpid) {
        List<Profile> found = jdbc.query("SELECT * FROM profile WHERE workspace_id = :workspaceId AND mpid = :mpid",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpid", mpid),
                (rs, row) -> map(rs, workspaceId));
        return found.stream().findFirst();
    }

    private Profile map(ResultSet rs, long workspaceId) throws SQLException {
        long mpid = rs.getLong("mpid");
        double latitude = rs.getDouble("latitude");
        Double lat = rs.wasNull() ? null : latitude;
        double longitude = rs.getDouble("longitude");
        Double lon = rs.wasNull() ? null : longitude;
        return new Profile(mpid, fields(rs.getString("identities")), fields(rs.getString("user_attributes")),
                fields(rs.getString("device_info")), new ArrayList<>(fields(rs.getString("platforms")).keySet()),
                rs.getString("country"), rs.getString("region"), rs.getString("city"), lat, lon,
                rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant(),
                events.latestOfProfile(workspaceId, mpid, LATEST_EVENTS), conflicts.of(workspaceId, mpid));
    }

    /** A JSON object's fields by name; text values as they are, other values as JSON. */
    private Map<String, String> fields(String jsonObject) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            JsonNode node = json.readTree(jsonObject);
            node.fields().forEachRemaining(field -> fields.put(field.getKey(),
                    field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A profile column holds invalid JSON", e);
        }
        return fields;
    }
}
