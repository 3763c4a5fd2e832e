package org.openaudience.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.openaudience.base.MultiRowInsert;
import org.openaudience.profile.IdentityResolver.Resolution;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies a request's profile changes, set-based: one locking read of the profiles that exist, the new documents
 * computed here in arrival order, one multi-row write. Computing in Java (not with MariaDB's JSON_MERGE_PATCH, which
 * drops updates when a patch deletes a key that comes earlier in the stored document) keeps every set, change and
 * delete exactly as the last write says. Runs inside the ingesting transaction, after {@link IdentityResolver}.
 */
@Component
public class ProfileWriter {

    private static final MultiRowInsert WRITE = new MultiRowInsert("INSERT INTO profile (workspace_id, mpid, "
            + "identities, user_attributes, device_info, platforms, country, region, city, latitude, longitude, "
            + "first_seen_at, last_seen_at)", 13, """
            ON DUPLICATE KEY UPDATE identities = VALUES(identities), user_attributes = VALUES(user_attributes),
                device_info = VALUES(device_info), platforms = VALUES(platforms), country = VALUES(country),
                region = VALUES(region), city = VALUES(city), latitude = VALUES(latitude),
                longitude = VALUES(longitude), first_seen_at = VALUES(first_seen_at),
                last_seen_at = VALUES(last_seen_at)""");

    private final NamedParameterJdbcTemplate jdbc;
    private final IdentityConflicts conflicts;
    private final ObjectMapper json;

    ProfileWriter(NamedParameterJdbcTemplate jdbc, IdentityConflicts conflicts, ObjectMapper json) {
        this.jdbc = jdbc;
        this.conflicts = conflicts;
        this.json = json;
    }

    /**
     * Creates or updates every changed profile, releases replaced identities and records conflicts.
     *
     * @return the profiles created, or whose facts other than the last-seen time changed: real-time membership
     *         re-evaluates Users criteria only for these (most batches repeat what the profile already says)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Set<Long> apply(long workspaceId, List<ProfileChange> changes, Resolution resolution, Instant now) {
        Map<Long, ProfileChange> merged = new LinkedHashMap<>();
        for (ProfileChange change : changes) {
            merged.merge(change.mpid(), change, ProfileWriter::combine);
        }
        List<ProfileChange> ordered = merged.values().stream()
                .sorted(Comparator.comparingLong(ProfileChange::mpid)).toList();
        Map<Long, StoredProfile> stored = lockExisting(workspaceId, ordered.stream().map(ProfileChange::mpid)
                .filter(mpid -> !resolution.created().contains(mpid)).toList());

        List<Object[]> rows = new ArrayList<>(ordered.size());
        List<MapSqlParameterSource> releases = new ArrayList<>();
        List<MapSqlParameterSource> removals = new ArrayList<>();
        List<IdentityConflicts.Conflict> lost = new ArrayList<>();
        Set<Long> newFacts = new HashSet<>();
        for (ProfileChange change : ordered) {
            long mpid = change.mpid();
            StoredProfile before = stored.getOrDefault(mpid, StoredProfile.none(change));
            resolution.mustNotHoldOther().getOrDefault(mpid, Map.of()).forEach((type, value) -> {
                String held = text(before.identities(), type);
                if (held != null && !held.equals(value)) {
                    // found by a weaker identity while a concurrent request gave the profile its own customer_id
                    // (or email): this batch's user is someone else, which the retry finds
                    throw new IdentityClaimLostException("the profile found by a weaker identity now holds another "
                            + type);
                }
            });
            ObjectNode identities = before.identities().deepCopy();
            change.identitiesRemoved().forEach((type, value) -> {
                removals.add(identityParams(workspaceId, mpid, type, value));
                if (value.equals(text(identities, type))) {
                    identities.remove(type);
                }
            });
            change.identitiesSet().forEach((type, value) -> {
                if (!resolution.holds(mpid, type, value)) {
                    Long owner = resolution.owner(type, value);
                    if (owner == null) {
                        throw new IllegalStateException("Identity " + type + " of MPID " + mpid + " was not claimed "
                                + "before the profile changed");
                    }
                    lost.add(new IdentityConflicts.Conflict(mpid, type, value, owner));
                    return;
                }
                String previous = text(identities, type);
                boolean replaced = previous != null && !previous.equals(value);
                boolean claimedOthers = resolution.claimed().getOrDefault(mpid, Map.of())
                        .getOrDefault(type, Set.of()).stream().anyMatch(claimed -> !claimed.equals(value));
                if ((replaced || claimedOthers) && !IdentityRule.DEVICE_ID_TYPES.contains(type)) {
                    releases.add(identityParams(workspaceId, mpid, type, value));
                }
                identities.put(type, value);
            });
            ObjectNode attributes = before.userAttributes().deepCopy();
            change.attributePatch().fields().forEachRemaining(field -> {
                if (field.getValue().isNull()) {
                    attributes.remove(field.getKey());
                } else {
                    attributes.set(field.getKey(), field.getValue());
                }
            });
            ObjectNode device = before.deviceInfo().deepCopy();
            device.setAll(change.deviceInfo());
            ObjectNode platforms = before.platforms().deepCopy();
            if (change.platform() != null) {
                platforms.put(change.platform(), true);
            }
            Instant firstSeen = change.firstSeen().isBefore(before.firstSeen()) ? change.firstSeen()
                    : before.firstSeen();
            Instant lastSeen = change.lastSeen().isAfter(before.lastSeen()) ? change.lastSeen() : before.lastSeen();
            Double latitude = change.latitude() != null ? change.latitude() : before.latitude();
            Double longitude = change.longitude() != null ? change.longitude() : before.longitude();
            StoredProfile after = new StoredProfile(identities, attributes, device, platforms, latitude, longitude,
                    firstSeen, lastSeen);
            if (!stored.containsKey(mpid) || !after.sameFactsAs(before)) {
                newFacts.add(mpid);
            }
            rows.add(new Object[] {workspaceId, mpid, identities.toString(), attributes.toString(), device.toString(),
                    platforms.toString(), text(attributes, "$country"), text(attributes, "$state"),
                    text(attributes, "$city"), latitude, longitude, Timestamp.from(firstSeen),
                    Timestamp.from(lastSeen)});
        }
        if (!removals.isEmpty()) {
            jdbc.batchUpdate("""
                    DELETE FROM profile_identity WHERE workspace_id = :workspaceId AND identity_type = :type
                    AND identity_value = :value AND mpid = :mpid""", removals.toArray(MapSqlParameterSource[]::new));
        }
        if (!releases.isEmpty()) {
            jdbc.batchUpdate("""
                    DELETE FROM profile_identity WHERE workspace_id = :workspaceId AND mpid = :mpid
                    AND identity_type = :type AND identity_value <> :value""",
                    releases.toArray(MapSqlParameterSource[]::new));
        }
        WRITE.execute(jdbc.getJdbcTemplate(), rows);
        conflicts.record(workspaceId, lost, now);
        return newFacts;
    }

    /**
     * The profiles that exist among these MPIDs, locked for this transaction. A locking read returns the latest
     * committed rows, so the documents computed from them lose no concurrent write.
     */
    private Map<Long, StoredProfile> lockExisting(long workspaceId, List<Long> mpids) {
        Map<Long, StoredProfile> stored = new HashMap<>();
        if (mpids.isEmpty()) {
            return stored;
        }
        jdbc.query("""
                        SELECT mpid, identities, user_attributes, device_info, platforms, latitude, longitude,
                               first_seen_at, last_seen_at
                        FROM profile WHERE workspace_id = :workspaceId AND mpid IN (:mpids) FOR UPDATE""",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpids", mpids), rs -> {
                    double latitude = rs.getDouble("latitude");
                    Double lat = rs.wasNull() ? null : latitude;
                    double longitude = rs.getDouble("longitude");
                    Double lon = rs.wasNull() ? null : longitude;
                    stored.put(rs.getLong("mpid"), new StoredProfile(object(rs.getString("identities")),
                            object(rs.getString("user_attributes")), object(rs.getString("device_info")),
                            object(rs.getString("platforms")), lat, lon,
                            rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant()));
                });
        return stored;
    }

    /** A profile's stored state, or the empty state of a new one. */
    private record StoredProfile(ObjectNode identities, ObjectNode userAttributes, ObjectNode deviceInfo,
                                 ObjectNode platforms, Double latitude, Double longitude, Instant firstSeen,
                                 Instant lastSeen) {

        /** Equal in everything a criterion can read but the last-seen time (JSON compared as trees). */
        boolean sameFactsAs(StoredProfile other) {
            return identities.equals(other.identities) && userAttributes.equals(other.userAttributes)
                    && deviceInfo.equals(other.deviceInfo) && platforms.equals(other.platforms)
                    && Objects.equals(latitude, other.latitude) && Objects.equals(longitude, other.longitude)
                    && firstSeen.equals(other.firstSeen);
        }

        static StoredProfile none(ProfileChange change) {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            return new StoredProfile(nodes.objectNode(), nodes.objectNode(), nodes.objectNode(), nodes.objectNode(),
                    null, null, change.firstSeen(), change.lastSeen());
        }
    }

    /** Two changes of one profile in one request: the later one's values win. */
    private static ProfileChange combine(ProfileChange earlier, ProfileChange later) {
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

    private static MapSqlParameterSource identityParams(long workspaceId, long mpid, String type, String value) {
        return new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpid", mpid).addValue("type", type)
                .addValue("value", value);
    }

    private ObjectNode object(String jsonText) {
        try {
            JsonNode node = json.readTree(jsonText);
            return node instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A profile column holds invalid JSON", e);
        }
    }

    private static String text(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
