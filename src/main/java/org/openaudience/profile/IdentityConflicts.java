package org.openaudience.profile;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.openaudience.base.MultiRowInsert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Identities a batch named for its profile that another profile holds. They never merge the two (the first claim
 * wins); each is logged and counted, so Users › Lookup can show it on both profiles.
 */
@Component
class IdentityConflicts {

    private static final Logger log = LoggerFactory.getLogger(IdentityConflicts.class);

    private static final MultiRowInsert RECORD = new MultiRowInsert("INSERT INTO identity_conflict (workspace_id, "
            + "mpid, identity_type, identity_value, owner_mpid, occurrences, first_seen_at, last_seen_at)", 8, """
            ON DUPLICATE KEY UPDATE owner_mpid = VALUES(owner_mpid), occurrences = occurrences + 1,
                last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))""");

    private final NamedParameterJdbcTemplate jdbc;

    IdentityConflicts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A batch of profile {@code mpid} named an identity that profile {@code ownerMpid} holds. */
    record Conflict(long mpid, String type, String value, long ownerMpid) {
    }

    void record(long workspaceId, List<Conflict> conflicts, Instant now) {
        if (conflicts.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(conflicts.size());
        Timestamp at = Timestamp.from(now);
        conflicts.stream()
                .sorted(Comparator.comparingLong(Conflict::mpid).thenComparing(Conflict::type)
                        .thenComparing(Conflict::value))
                .forEach(c -> rows.add(new Object[] {workspaceId, c.mpid(), c.type(), c.value(), c.ownerMpid(), 1L,
                        at, at}));
        RECORD.execute(jdbc.getJdbcTemplate(), rows);
        // values are personal data: the log names types and profiles, Users › Lookup shows the values to those allowed
        log.warn("Identity conflict in workspace {}: {}", workspaceId, conflicts.stream()
                .map(c -> "MPID " + c.mpid() + " named a " + c.type() + " that MPID " + c.ownerMpid() + " holds")
                .collect(Collectors.joining("; ")));
    }

    /** The conflicts in which this profile named another's identity or holds one another named, newest first. */
    List<IdentityConflict> of(long workspaceId, long mpid) {
        return jdbc.query("""
                        SELECT mpid, identity_type, identity_value, owner_mpid, occurrences, first_seen_at,
                               last_seen_at
                        FROM identity_conflict WHERE workspace_id = :workspaceId AND mpid = :mpid
                        UNION ALL
                        SELECT mpid, identity_type, identity_value, owner_mpid, occurrences, first_seen_at,
                               last_seen_at
                        FROM identity_conflict WHERE workspace_id = :workspaceId AND owner_mpid = :mpid
                        ORDER BY last_seen_at DESC LIMIT 50""",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpid", mpid),
                (rs, row) -> new IdentityConflict(rs.getLong("mpid"), rs.getString("identity_type"),
                        rs.getString("identity_value"), rs.getLong("owner_mpid"), rs.getLong("occurrences"),
                        rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant()));
    }
}
