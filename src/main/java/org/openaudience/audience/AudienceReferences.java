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
import org.openaudience.criteria.Problem;
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

    /**
     * The audience a criterion may name, if it is in the workspace; the one being edited counts as using them.
     * Locking (when saving): reads the latest committed definition, not the transaction's snapshot.
     */
    Optional<MembershipTarget> target(long workspaceId, long audienceId, Long editedId, boolean locking) {
        return jdbc.sql("SELECT name, definition_json FROM audience WHERE id = ? AND workspace_id = ?"
                        + (locking ? " LOCK IN SHARE MODE" : ""))
                .params(audienceId, workspaceId)
                .query((rs, row) -> new MembershipTarget(rs.getString(1), Long.valueOf(audienceId).equals(editedId)
                        || !referenced(DefinitionJson.read(rs.getString(2))).isEmpty()))
                .optional();
    }

    /** Names of the audiences whose current definition has a membership criterion on this one. */
    List<String> usersOf(long workspaceId, long audienceId, boolean locking) {
        return jdbc.sql("SELECT name, definition_json FROM audience WHERE workspace_id = ? AND id <> ?"
                        + " AND definition_json LIKE '%\"membership\"%' ORDER BY name"
                        + (locking ? " LOCK IN SHARE MODE" : ""))
                .params(workspaceId, audienceId)
                .query((rs, row) -> referenced(DefinitionJson.read(rs.getString(2))).contains(audienceId)
                        ? rs.getString(1) : null)
                .list().stream().filter(name -> name != null).toList();
    }

    /**
     * Serialises saves that add membership criteria in a workspace, so two of them cannot each pass validation
     * against the other's old definition and form a cycle (A on B, B on A). Call before validating, in the saving
     * transaction.
     */
    void lockForReferences(long workspaceId, Definition definition) {
        if (!referenced(definition).isEmpty()) {
            lockWorkspace(workspaceId);
        }
    }

    /** The lock that serialises reference changes (saves with membership criteria, deletes) in a workspace. */
    void lockWorkspace(long workspaceId) {
        jdbc.sql("SELECT id FROM workspace WHERE id = ? FOR UPDATE").param(workspaceId).query(Long.class).list();
    }

    /**
     * Refuses membership criteria on audiences outside the workspace (or deleted): nothing may read their members;
     * and inputs of other workspaces (their events never count here).
     */
    void requireInWorkspace(long workspaceId, Definition definition) {
        List<Long> foreign = foreignInputs(workspaceId, definition.inputIds());
        if (!foreign.isEmpty()) {
            throw new DefinitionProblemsException(List.of(new Problem("", "inputs", notInputs(foreign))));
        }
        Set<Long> named = referenced(definition);
        if (named.isEmpty()) {
            return;
        }
        long found = jdbc.sql("SELECT COUNT(*) FROM audience WHERE workspace_id = :workspaceId AND id IN (:ids)")
                .param("workspaceId", workspaceId).param("ids", named).query(Long.class).single();
        if (found < named.size()) {
            throw new org.openaudience.base.InvalidRequestException("definition", "An Audience membership criterion"
                    + " names an audience that is not in this workspace (or was deleted).");
        }
    }

    /** The ids that are not inputs of the workspace, in order. */
    List<Long> foreignInputs(long workspaceId, Set<Long> inputIds) {
        if (inputIds.isEmpty()) {
            return List.of();
        }
        Set<Long> found = new HashSet<>(jdbc.sql("SELECT id FROM input WHERE workspace_id = :workspaceId"
                        + " AND id IN (:ids)").param("workspaceId", workspaceId).param("ids", inputIds)
                .query(Long.class).list());
        return inputIds.stream().filter(id -> !found.contains(id)).sorted().toList();
    }

    static String notInputs(List<Long> foreign) {
        return (foreign.size() == 1 ? "Input " + foreign.get(0) + " is not an input" : "Inputs "
                + foreign.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                + " are not inputs") + " of this workspace.";
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
