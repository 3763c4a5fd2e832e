package org.openaudience.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Resolves batches to profiles and applies their changes, set-based: one query to resolve all identities of a
 * request, one batched insert for new profiles and identities, one batched update for all changed profiles.
 * Runs inside the ingesting transaction.
 */
@Component
public class ProfileWriter {

    /** Identity types that resolve a batch to a profile, strongest first (PRODUCT.md §2). */
    static final List<String> RESOLVING_TYPES = List.of("customer_id", "email", "mp_deviceid", "ios_idfv",
            "ios_advertising_id", "android_uuid", "android_advertising_id");

    private static final Logger log = LoggerFactory.getLogger(ProfileWriter.class);

    private final NamedParameterJdbcTemplate jdbc;

    ProfileWriter(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The MPID of each claim, in order: the given MPID, else the profile of a known customer_id, else email, else
     * device id; otherwise a new MPID. Claims of one request that share an identity share the profile.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Long> resolve(long workspaceId, List<IdentityClaim> claims) {
        Map<String, Long> known = knownIdentities(workspaceId, claims);
        List<Long> mpids = new ArrayList<>(claims.size());
        for (IdentityClaim claim : claims) {
            Long mpid = claim.mpid();
            if (mpid == null) {
                mpid = RESOLVING_TYPES.stream()
                        .map(type -> claim.identities().get(type) == null ? null
                                : known.get(key(type, claim.identities().get(type))))
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElseGet(ProfileWriter::newMpid);
            }
            for (Map.Entry<String, String> identity : claim.identities().entrySet()) {
                known.putIfAbsent(key(identity.getKey(), identity.getValue()), mpid);
            }
            mpids.add(mpid);
        }
        return mpids;
    }

    /** Creates missing profiles, records identities and merges every change, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void apply(long workspaceId, List<ProfileChange> changes) {
        Map<Long, ProfileChange> merged = new LinkedHashMap<>();
        for (ProfileChange change : changes) {
            merged.merge(change.mpid(), change, this::combine);
        }
        List<ProfileChange> ordered = merged.values().stream()
                .sorted(java.util.Comparator.comparingLong(ProfileChange::mpid)).toList();
        createMissingProfiles(workspaceId, ordered);
        recordIdentities(workspaceId, ordered);
        updateProfiles(workspaceId, ordered);
    }

    private Map<String, Long> knownIdentities(long workspaceId, List<IdentityClaim> claims) {
        Map<String, List<String>> valuesByType = new HashMap<>();
        for (IdentityClaim claim : claims) {
            if (claim.mpid() != null) {
                continue;
            }
            claim.identities().forEach((type, value) -> {
                if (RESOLVING_TYPES.contains(type)) {
                    valuesByType.computeIfAbsent(type, t -> new ArrayList<>()).add(value);
                }
            });
        }
        Map<String, Long> known = new HashMap<>();
        if (valuesByType.isEmpty()) {
            return known;
        }
        MapSqlParameterSource params = new MapSqlParameterSource("workspaceId", workspaceId);
        List<String> conditions = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<String>> entry : valuesByType.entrySet()) {
            conditions.add("(identity_type = :type" + i + " AND identity_value IN (:values" + i + "))");
            params.addValue("type" + i, entry.getKey()).addValue("values" + i, entry.getValue());
            i++;
        }
        jdbc.query("SELECT identity_type, identity_value, mpid FROM profile_identity WHERE workspace_id = :workspaceId"
                        + " AND (" + String.join(" OR ", conditions) + ")", params,
                rs -> {
                    known.put(key(rs.getString(1), rs.getString(2)), rs.getLong(3));
                });
        return known;
    }

    private void createMissingProfiles(long workspaceId, List<ProfileChange> changes) {
        MapSqlParameterSource[] rows = changes.stream().map(change -> new MapSqlParameterSource()
                .addValue("workspaceId", workspaceId)
                .addValue("mpid", change.mpid())
                .addValue("firstSeen", Timestamp.from(change.firstSeen()))
                .addValue("lastSeen", Timestamp.from(change.lastSeen()))).toArray(MapSqlParameterSource[]::new);
        jdbc.batchUpdate("""
                INSERT IGNORE INTO profile (workspace_id, mpid, identities, user_attributes, device_info, platforms,
                                            first_seen_at, last_seen_at)
                VALUES (:workspaceId, :mpid, '{}', '{}', '{}', '{}', :firstSeen, :lastSeen)""", rows);
    }

    /**
     * New identities point at their profile; an identity another profile already owns stays there (the first
     * strong identity wins) and the conflict is logged. Removed identities are released.
     */
    private void recordIdentities(long workspaceId, List<ProfileChange> changes) {
        List<MapSqlParameterSource> inserts = new ArrayList<>();
        List<MapSqlParameterSource> removals = new ArrayList<>();
        for (ProfileChange change : changes) {
            change.identitiesSet().forEach((type, value) -> inserts.add(identityRow(workspaceId, change.mpid(), type,
                    value)));
            change.identitiesRemoved().forEach((type, value) -> removals.add(identityRow(workspaceId, change.mpid(),
                    type, value)));
        }
        if (!removals.isEmpty()) {
            jdbc.batchUpdate("""
                    DELETE FROM profile_identity WHERE workspace_id = :workspaceId AND identity_type = :type
                    AND identity_value = :value AND mpid = :mpid""", removals.toArray(MapSqlParameterSource[]::new));
        }
        if (inserts.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT IGNORE INTO profile_identity (workspace_id, identity_type, identity_value, mpid)
                VALUES (:workspaceId, :type, :value, :mpid)""", inserts.toArray(MapSqlParameterSource[]::new));
        logConflicts(workspaceId, inserts);
    }

    private void logConflicts(long workspaceId, List<MapSqlParameterSource> inserts) {
        List<String> strong = inserts.stream().filter(row -> RESOLVING_TYPES.contains((String) row.getValue("type")))
                .map(row -> (String) row.getValue("value")).toList();
        if (strong.isEmpty()) {
            return;
        }
        Map<String, Long> owners = new HashMap<>();
        jdbc.query("SELECT identity_type, identity_value, mpid FROM profile_identity WHERE workspace_id = :workspaceId"
                        + " AND identity_value IN (:values)",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("values", strong),
                rs -> {
                    owners.put(key(rs.getString(1), rs.getString(2)), rs.getLong(3));
                });
        for (MapSqlParameterSource row : inserts) {
            Long owner = owners.get(key((String) row.getValue("type"), (String) row.getValue("value")));
            if (owner != null && !owner.equals(row.getValue("mpid"))) {
                log.warn("Identity conflict in workspace {}: {} is already held by MPID {}; MPID {} keeps its own "
                                + "profile and does not take it over", workspaceId, row.getValue("type"), owner,
                        row.getValue("mpid"));
            }
        }
    }

    private void updateProfiles(long workspaceId, List<ProfileChange> changes) {
        MapSqlParameterSource[] rows = changes.stream().map(change -> {
            ObjectNode identities = JsonNodeFactory.instance.objectNode();
            change.identitiesRemoved().keySet().forEach(identities::putNull);
            change.identitiesSet().forEach(identities::put);
            ObjectNode platforms = JsonNodeFactory.instance.objectNode();
            if (change.platform() != null) {
                platforms.put(change.platform(), true);
            }
            JsonNode attributes = change.attributePatch();
            return new MapSqlParameterSource()
                    .addValue("workspaceId", workspaceId)
                    .addValue("mpid", change.mpid())
                    .addValue("identities", identities.toString())
                    .addValue("attributes", attributes.toString())
                    .addValue("deviceInfo", change.deviceInfo().toString())
                    .addValue("platforms", platforms.toString())
                    .addValue("country", text(attributes, "$country"))
                    .addValue("region", text(attributes, "$state"))
                    .addValue("city", text(attributes, "$city"))
                    .addValue("latitude", change.latitude())
                    .addValue("longitude", change.longitude())
                    .addValue("firstSeen", Timestamp.from(change.firstSeen()))
                    .addValue("lastSeen", Timestamp.from(change.lastSeen()));
        }).toArray(MapSqlParameterSource[]::new);
        jdbc.batchUpdate("""
                UPDATE profile SET
                    identities = JSON_MERGE_PATCH(identities, :identities),
                    user_attributes = JSON_MERGE_PATCH(user_attributes, :attributes),
                    device_info = JSON_MERGE_PATCH(device_info, :deviceInfo),
                    platforms = JSON_MERGE_PATCH(platforms, :platforms),
                    country = COALESCE(:country, country),
                    region = COALESCE(:region, region),
                    city = COALESCE(:city, city),
                    latitude = COALESCE(:latitude, latitude),
                    longitude = COALESCE(:longitude, longitude),
                    first_seen_at = LEAST(first_seen_at, :firstSeen),
                    last_seen_at = GREATEST(last_seen_at, :lastSeen)
                WHERE workspace_id = :workspaceId AND mpid = :mpid""", rows);
    }

    /** Two changes of one profile in one request: the later one's values win. */
    private ProfileChange combine(ProfileChange earlier, ProfileChange later) {
        ObjectNode attributes = earlier.attributePatch().deepCopy();
        attributes.setAll(later.attributePatch());
        ObjectNode device = earlier.deviceInfo().deepCopy();
        device.setAll(later.deviceInfo());
        Map<String, String> set = new LinkedHashMap<>(earlier.identitiesSet());
        Map<String, String> removed = new LinkedHashMap<>(earlier.identitiesRemoved());
        later.identitiesRemoved().forEach((type, value) -> {
            removed.put(type, value);
            set.remove(type);
        });
        later.identitiesSet().forEach((type, value) -> {
            set.put(type, value);
            removed.remove(type);
        });
        Instant first = earlier.firstSeen().isBefore(later.firstSeen()) ? earlier.firstSeen() : later.firstSeen();
        Instant last = earlier.lastSeen().isAfter(later.lastSeen()) ? earlier.lastSeen() : later.lastSeen();
        return new ProfileChange(earlier.mpid(), first, last, attributes, set, removed, device,
                later.platform() != null ? later.platform() : earlier.platform(),
                later.latitude() != null ? later.latitude() : earlier.latitude(),
                later.longitude() != null ? later.longitude() : earlier.longitude());
    }

    private static MapSqlParameterSource identityRow(long workspaceId, long mpid, String type, String value) {
        return new MapSqlParameterSource().addValue("workspaceId", workspaceId).addValue("mpid", mpid)
                .addValue("type", type).addValue("value", value.length() > 255 ? value.substring(0, 255) : value);
    }

    private static String text(JsonNode attributes, String name) {
        JsonNode value = attributes.get(name);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static String key(String type, String value) {
        return type + "\u0000" + value;
    }

    private static long newMpid() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
