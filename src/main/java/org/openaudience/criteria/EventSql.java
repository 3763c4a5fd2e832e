package org.openaudience.criteria;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one event criterion's matching events, in the three shapes the compiler uses: counts per MPID over a
 * scope (a derived table), a correlated EXISTS for the profile {@code p}, and the MPIDs whose count satisfies the
 * criterion's frequency. The events are read through one named index: the attribute index of the first condition
 * answered from an indexed column ({@link AttributeColumns}), so that counting reads only that index, or else the
 * (workspace, type, folded key, MPID, time) index — MariaDB would otherwise sometimes take an attribute index for
 * a criterion that has no condition on it, and read the key's every entry per range.
 */
final class EventSql {

    /** The index every event criterion can use. */
    static final String KEY_INDEX = "ix_event_key_mpid";

    /** SQL with its positional parameters. */
    record Part(String sql, List<Object> parameters) {
    }

    private final Definition definition;
    private final long workspaceId;
    private final ProfileScope scope;
    private final Instant now;
    private final AttributeColumns columns;

    EventSql(Definition definition, long workspaceId, ProfileScope scope, Instant now, AttributeColumns columns) {
        this.definition = definition;
        this.workspaceId = workspaceId;
        this.scope = scope;
        this.now = now;
        this.columns = columns;
    }

    /** {@code SELECT e.mpid, COUNT(*) AS n … GROUP BY e.mpid} over the scope. */
    Part countsPerProfile(EventCriterion criterion) {
        Part from = from(criterion, false);
        return new Part("SELECT e.mpid, COUNT(*) AS n " + from.sql() + " GROUP BY e.mpid", from.parameters());
    }

    /** {@code EXISTS (SELECT 1 …)} for the profile {@code p}: stops at its first matching event. */
    Part existsFor(EventCriterion criterion) {
        Part from = from(criterion, true);
        return new Part("EXISTS (SELECT 1 " + from.sql() + ")", from.parameters());
    }

    /** The MPIDs in the scope whose matching events satisfy the criterion's frequency (never zero events). */
    Part qualifying(EventCriterion criterion) {
        Part from = from(criterion, false);
        List<Object> parameters = new ArrayList<>(from.parameters());
        return new Part("SELECT e.mpid " + from.sql() + " GROUP BY e.mpid HAVING COUNT(*)"
                + comparison(criterion.frequency(), parameters), parameters);
    }

    /** The comparison of a count with the frequency, its values bound into {@code parameters}. */
    static String comparison(Frequency frequency, List<Object> parameters) {
        parameters.add(frequency.count());
        if (frequency.comparison() == Frequency.Comparison.BETWEEN) {
            parameters.add(frequency.max());
        }
        return switch (frequency.comparison()) {
            case GREATER_THAN -> " > ?";
            case AT_LEAST -> " >= ?";
            case EXACTLY -> " = ?";
            case LESS_THAN -> " < ?";
            case BETWEEN -> " BETWEEN ? AND ?";
        };
    }

    /** {@code FROM event e FORCE INDEX (…) WHERE …}: correlated to {@code p}, or over the scope. */
    private Part from(EventCriterion criterion, boolean correlated) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE e.workspace_id = ? AND e.event_type = ?"
                + " AND e.event_key_folded = ?");
        parameters.add(workspaceId);
        parameters.add(criterion.kind().eventType());
        parameters.add(TextRule.fold(criterion.eventKey()));
        if (correlated) {
            where.append(" AND e.mpid = p.mpid");
        } else {
            SqlCompiler.scope(scope, "e", where, parameters);
        }
        where.append(" AND e.event_time >= ? AND e.event_time < ?");
        parameters.add(Timestamp.from(criterion.window().from(now)));
        parameters.add(Timestamp.from(criterion.window().to(now)));
        if (criterion.customEventType() != null) {
            where.append(" AND ").append(TextRule.sql("e.custom_event_type")).append(" = ?");
            parameters.add(TextRule.fold(criterion.customEventType()));
        }
        if (!definition.inputIds().isEmpty()) {
            where.append(" AND e.input_id IN (").append(ConditionSql.placeholders(definition.inputIds().size()))
                    .append(')');
            parameters.addAll(definition.inputIds().stream().sorted().toList());
        }
        ConditionSql conditions = new ConditionSql(parameters, now, columns);
        criterion.kind().impliedTrueAttribute().ifPresent(attribute -> where.append(" AND ").append(conditions
                .jsonCondition("e.attributes", AttributeColumns.Source.EVENT,
                        Condition.of(attribute, DataType.BOOLEAN, Operator.IS_TRUE))));
        for (Condition condition : criterion.conditions()) {
            where.append(" AND ").append(conditions.jsonCondition("e.attributes", AttributeColumns.Source.EVENT,
                    condition));
        }
        String index = conditions.indexedColumnsUsed().stream().findFirst().map(AttributeColumns::indexOf)
                .orElse(KEY_INDEX);
        return new Part("FROM event e FORCE INDEX (" + index + ")" + where, parameters);
    }
}
