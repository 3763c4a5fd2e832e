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
import org.openaudience.base.MultiRowInsert;
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

    private static final MultiRowInsert CREATE = new MultiRowInsert("INSERT INTO profile (workspace_id, mpid, "
            + "identities, user_attributes, device_info, platforms, first_seen_at, last_seen_at)", 8,
            "ON DUPLICATE KEY UPDATE mpid = mpid");
    private static final MultiRowInsert INSERT_IDENTITY = new MultiRowInsert("INSERT IGNORE INTO profile_identity "
            + "(workspace_id, identity_type, identity_value, mpid)", 4, "");
    private static final MultiRowInsert MERGE = new MultiRowInsert("INSERT INTO profile (workspace_id, mpid, "
            + "identities, user_attributes, device_info, platforms, country, region, city, latitude, longitude, "
            + "first_seen_at, last_seen_at)", 13, """
            ON DUPLICATE KEY UPDATE
                identities = IF(VALUES(identities) = '{}', identities,
                                JSON_MERGE_PATCH(identities, VALUES(identities))),
                user_attributes = IF(VALUES(user_attributes) = '{}', user_attributes,
                                     JSON_MERGE_PATCH(user_attributes, VALUES(user_attributes))),
                device_info = IF(VALUES(device_info) = '{}', device_info,
                                 JSON_MERGE_PATCH(device_info, VALUES(device_info))),
                platforms = IF(VALUES(platforms) = '{}', platforms, JSON_MERGE_PATCH(platforms, VALUES(platforms))),
                country = COALESCE(VALUES(country), country),
                region = COALESCE(VALUES(region), region),
                city = COALESCE(VALUES(city), city),
                latitude = COALESCE(VALUES(latitude), latitude),
                longitude = COALESCE(VALUES(longitude), longitude),
                first_seen_at = LEAST(first_seen_at, VALUES(first_seen_at)),
                last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))""");

    private final NamedParameterJdbcTemplate jdbc;

    ProfileWriter(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The MPID of each claim, in order: the given MPID, else the profile of a known customer_id, else email, else
     * device id; otherwise a new MPID. Claims of one request that share an identity share the profile.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Resolution resolve(long workspaceId, List<IdentityClaim> claims) {
        Map<String, Long> stored = knownIdentities(workspaceId, claims);
        Map<String, Long> known = new HashMap<>(stored);
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
        return new Resolution(mpids, stored);
    }

    /**
     * The MPID of each claim, and the identities already stored (so {@link #apply} writes only what is new).
     */
    public record Resolution(List<Long> mpids, Map<String, Long> storedIdentities) {

        boolean isStored(String type, String value, long mpid) {
            return Long.valueOf(mpid).equals(storedIdentities.get(key(type, value)));
        }
    }

    /** Creates missing profiles, records identities and merges every change, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void apply(long workspaceId, List<ProfileChange> changes, Resolution resolution) {
        Map<Long, ProfileChange> merged = new LinkedHashMap<>();
        for (ProfileChange change : changes) {
            merged.merge(change.mpid(), change, this::combine);
        }
        List<ProfileChange> ordered = merged.values().stream()
                .sorted(java.util.Comparator.comparingLong(ProfileChange::mpid)).toList();
        // a profile whose identity is stored exists (both are written in one transaction)
        createMissingProfiles(workspaceId, ordered.stream().filter(change -> change.identitiesSet().entrySet()
                .stream().noneMatch(i -> resolution.isStored(i.getKey(), i.getValue(), change.mpid()))).toList());
        recordIdentities(workspaceId, ordered, resolution);
        updateProfiles(workspaceId, ordered, resolution);
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

    /**
     * Creates the profiles that do not exist yet. The no-op update takes an exclusive lock on existing rows right
     * away (INSERT IGNORE would take a shared one, and two requests upgrading shared locks deadlock).
     */
    private void createMissingProfiles(long workspaceId, List<ProfileChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(changes.size());
        for (ProfileChange change : changes) {
            rows.add(new Object[] {workspaceId, change.mpid(), "{}", "{}", "{}", "{}",
                    Timestamp.from(change.firstSeen()), Timestamp.from(change.lastSeen())});
        }
        CREATE.execute(jdbc.getJdbcTemplate(), rows);
    }

    /**
     * New identities point at their profile; an identity another profile already owns stays there (the first
     * strong identity wins) and the conflict is logged. Removed identities are released.
     */
    private void recordIdentities(long workspaceId, List<ProfileChange> changes, Resolution resolution) {
        List<Object[]> inserts = new ArrayList<>();
        List<MapSqlParameterSource> removals = new ArrayList<>();
        for (ProfileChange change : changes) {
            change.identitiesSet().forEach((type, value) -> {
                if (!resolution.isStored(type, value, change.mpid())) {
                    inserts.add(new Object[] {workspaceId, type, truncate(value), change.mpid()});
                }
            });
            change.identitiesRemoved().forEach((type, value) -> removals.add(new MapSqlParameterSource()
                    .addValue("workspaceId", workspaceId).addValue("mpid", change.mpid()).addValue("type", type)
                    .addValue("value", truncate(value))));
        }
        if (!removals.isEmpty()) {
            jdbc.batchUpdate("""
                    DELETE FROM profile_identity WHERE workspace_id = :workspaceId AND identity_type = :type
                    AND identity_value = :value AND mpid = :mpid""", removals.toArray(MapSqlParameterSource[]::new));
        }
        if (inserts.isEmpty()) {
            return;
        }
        // key order, so concurrent requests lock identity rows in the same order
        inserts.sort(java.util.Comparator.comparing((Object[] row) -> (String) row[1])
                .thenComparing(row -> (String) row[2]));
        int inserted = INSERT_IDENTITY.execute(jdbc.getJdbcTemplate(), inserts);
        if (inserted < inserts.size()) {
            logConflicts(workspaceId, inserts);
        }
    }

    private void logConflicts(long workspaceId, List<Object[]> inserts) {
        List<String> strong = inserts.stream().filter(row -> RESOLVING_TYPES.contains((String) row[1]))
                .map(row -> (String) row[2]).toList();
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
        for (Object[] row : inserts) {
            Long owner = owners.get(key((String) row[1], (String) row[2]));
            if (owner != null && !owner.equals(row[3])) {
                log.warn("Identity conflict in workspace {}: {} is already held by MPID {}; MPID {} keeps its own "
                        + "profile and does not take it over", workspaceId, row[1], owner, row[3]);
            }
        }
    }

    /**
     * Merges every change in one multi-row statement. The rows exist (created just before), so each takes the
     * update branch, where VALUES(x) is the patch as sent, nulls (deletions) included.
     */
    private void updateProfiles(long workspaceId, List<ProfileChange> changes, Resolution resolution) {
        List<Object[]> rows = new ArrayList<>(changes.size());
        for (ProfileChange change : changes) {
            ObjectNode identities = JsonNodeFactory.instance.objectNode();
            change.identitiesRemoved().keySet().forEach(identities::putNull);
            change.identitiesSet().forEach((type, value) -> {
                // stored identities are already in the profile's JSON (both are written together)
                if (!resolution.isStored(type, value, change.mpid())) {
                    identities.put(type, value);
                }
            });
            ObjectNode platforms = JsonNodeFactory.instance.objectNode();
            if (change.platform() != null) {
                platforms.put(change.platform(), true);
            }
            JsonNode attributes = change.attributePatch();
            rows.add(new Object[] {workspaceId, change.mpid(), identities.toString(), attributes.toString(),
                    change.deviceInfo().toString(), platforms.toString(), text(attributes, "$country"),
                    text(attributes, "$state"), text(attributes, "$city"), change.latitude(), change.longitude(),
                    Timestamp.from(change.firstSeen()), Timestamp.from(change.lastSeen())});
        }
        MERGE.execute(jdbc.getJdbcTemplate(), rows);
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

    private static String truncate(String value) {
        return value.length() > 255 ? value.substring(0, 255) : value;
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
