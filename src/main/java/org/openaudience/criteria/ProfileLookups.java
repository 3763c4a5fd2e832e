package org.openaudience.criteria;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conditions on indexed profile attributes answered by one lookup per MPID in the attribute's index, for queries
 * that event MPIDs drive: that index is (workspace, value) and InnoDB appends the MPID of the primary key, so a test
 * of one value and one MPID is a single index entry, read without the profile row or the JSON its virtual column is
 * computed from. At 1M profiles, "Paris viewers, not Free" took 0.87 s reading the column off each profile row and
 * 0.73 s by lookups; with no other Users criterion the profile row is not read at all. Only tests of one value
 * qualify: a list of values or a range per MPID scans part of the index for each row (two values ran for minutes).
 */
final class ProfileLookups {

    /** One LEFT JOIN: its SQL up to the MPID it is joined on, and its values. */
    record Lookup(String sql, List<Object> parameters) {
    }

    private final long workspaceId;
    private final Instant now;
    private final AttributeColumns columns;
    private final List<Lookup> lookups = new ArrayList<>();

    ProfileLookups(long workspaceId, Instant now, AttributeColumns columns) {
        this.workspaceId = workspaceId;
        this.now = now;
        this.columns = columns;
    }

    /** The condition as a NULL-free test of its lookup, or empty when no lookup can answer it. */
    Optional<String> condition(Condition condition) {
        Operator negated = condition.operator().negates();
        Condition positive = negated == null ? condition : condition.withOperator(negated);
        boolean oneValue = switch (positive.operator()) {
            case EXACT_MATCH, IS_TRUE, IS_FALSE -> true;
            case IS_IN_LIST -> positive.values().size() == 1;
            default -> false;
        };
        Optional<String> column = AttributeColumns.kindFor(positive)
                .filter(kind -> oneValue && kind == AttributeColumns.Kind.TEXT)
                .flatMap(kind -> columns.ready(new AttributeColumns.Column(AttributeColumns.Source.PROFILE,
                        positive.attribute(), kind)));
        if (column.isEmpty()) {
            return Optional.empty();
        }
        String alias = "a" + (lookups.size() + 1);
        List<Object> parameters = new ArrayList<>();
        parameters.add(workspaceId);
        Optional<String> test = new ConditionSql(parameters, now, columns)
                .indexedCondition(alias + "." + column.get(), positive);
        if (test.isEmpty()) {
            return Optional.empty();
        }
        lookups.add(new Lookup(" LEFT JOIN profile " + alias + " FORCE INDEX (" + AttributeColumns.indexOf(column.get())
                + ") ON " + alias + ".workspace_id = ? AND " + test.get() + " AND " + alias + ".mpid = ", parameters));
        // IFNULL keeps the join an outer one: with a bare IS NOT NULL MariaDB makes it inner and reads every profile
        // of the value from the index first
        String found = "IFNULL(" + alias + ".mpid IS NOT NULL, 0)";
        return Optional.of(negated == null ? found : "NOT " + found);
    }

    /** Appends every lookup, joined on {@code table}'s MPID, with its values. */
    void join(StringBuilder sql, List<Object> values, String table) {
        for (Lookup lookup : lookups) {
            sql.append(lookup.sql()).append(table).append(".mpid");
            values.addAll(lookup.parameters());
        }
    }
}
