package org.openaudience.audience;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.DefinitionValidator.MembershipTarget;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.MembershipCriterion;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Audience membership criteria between audiences of a workspace: which audiences one may point at, and which
 * audiences point at one (those block its deletion and forbid it membership criteria of its own, so no cycles).
 */
@Component
class AudienceReferences {

    private final JdbcClient jdbc;

    AudienceReferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The audience a criterion may name, if it is in the workspace; the one being edited counts as using them. */
    Optional<MembershipTarget> target(long workspaceId, long audienceId, Long editedId) {
        return jdbc.sql("SELECT name, definition_json FROM audience WHERE id = ? AND workspace_id = ?")
                .params(audienceId, workspaceId)
                .query((rs, row) -> new MembershipTarget(rs.getString(1), Long.valueOf(audienceId).equals(editedId)
                        || !referenced(DefinitionJson.read(rs.getString(2))).isEmpty()))
                .optional();
    }

    /** Names of the audiences whose current definition has a membership criterion on this one. */
    List<String> usersOf(long workspaceId, long audienceId) {
        return jdbc.sql("SELECT name, definition_json FROM audience WHERE workspace_id = ? AND id <> ?"
                        + " AND definition_json LIKE '%\"membership\"%' ORDER BY name")
                .params(workspaceId, audienceId)
                .query((rs, row) -> referenced(DefinitionJson.read(rs.getString(2))).contains(audienceId)
                        ? rs.getString(1) : null)
                .list().stream().filter(name -> name != null).toList();
    }

    /** The audiences a definition's membership criteria name. */
    static Set<Long> referenced(Definition definition) {
        Set<Long> ids = new HashSet<>();
        collect(definition.root(), ids);
        return ids;
    }

    private static void collect(Group group, Set<Long> ids) {
        for (Group.Item item : group.items()) {
            if (item.node() instanceof Group inner) {
                collect(inner, ids);
            } else if (item.node() instanceof MembershipCriterion membership) {
                ids.add(membership.audienceId());
            }
        }
    }
}
