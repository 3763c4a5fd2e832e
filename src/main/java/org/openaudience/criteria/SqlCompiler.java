package org.openaudience.criteria;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a definition into one MariaDB query over a scope of profiles. Each event criterion becomes a derived
 * table counting matching events per MPID, read from the (workspace, event type, folded event key, MPID, time) index
 * over the scope's MPIDs only, and LEFT JOINed to the profile row {@code p}; user criteria are expressions on
 * {@code p}.
 * Connectors become AND / OR / AND NOT, left to right. When the tree requires some event criterion, its derived
 * table drives the query, so only profiles with such events are read; when a Users criterion filters first, required
 * "at least one event" criteria become correlated EXISTS checked last. Every leaf is NULL-free so that Exclude never
 * meets SQL's unknown. Attribute and field conditions are {@link ConditionSql}'s, with the rules of
 * {@link ValueMatcher}.
 */
public final class SqlCompiler {

    private final Definition definition;
    private final long workspaceId;
    private final ProfileScope scope;
    private final Instant now;
    private final AttributeColumns columns;
    /** Where the expression being compiled binds its values (the WHERE clause, or a derived table's). */
    private List<Object> parameters = new ArrayList<>();
    private final List<CountedEvents> counts = new ArrayList<>();
    /**
     * Required "at least one event" criteria, compiled as correlated EXISTS after the rest of the WHERE clause
     * (see {@link CompiledQuery#HINT}), with their values.
     */
    private final java.util.Set<EventCriterion> semiJoined = java.util.Collections.newSetFromMap(
            new java.util.IdentityHashMap<>());
    private final List<String> semiJoins = new ArrayList<>();
    private final List<Object> semiJoinParameters = new ArrayList<>();
    /** The group of alternative event criteria whose union drives the query, if it does ({@link #alternatives}). */
    private Group driving;
    /** The union's SQL, once {@link #driving} is compiled. */
    private EventSql.Part union;

    /** One event criterion's derived table: its alias, SQL and values. */
    private record CountedEvents(EventCriterion criterion, String alias, String sql, List<Object> parameters) {
    }

    private SqlCompiler(Definition definition, long workspaceId, ProfileScope scope, Instant now,
                        AttributeColumns columns) {
        this.definition = definition;
        this.workspaceId = workspaceId;
        this.scope = scope;
        this.now = now;
        this.columns = columns;
    }

    /** The query reading every attribute from its JSON. */
    public static CompiledQuery compile(Definition definition, long workspaceId, ProfileScope scope, Instant now) {
        return compile(definition, workspaceId, scope, now, AttributeColumns.NONE);
    }

    /** The query, reading attributes from the ready indexed {@code columns} where they answer a condition. */
    public static CompiledQuery compile(Definition definition, long workspaceId, ProfileScope scope, Instant now,
                                        AttributeColumns columns) {
        return new SqlCompiler(definition, workspaceId, scope, now, columns).compile();
    }

    private CompiledQuery compile() {
        List<EventCriterion> required = requiredEvents(definition.root());
        if (profilesFilterFirst(definition.root())) {
            required.stream().filter(SqlCompiler::anyEvent).forEach(semiJoined::add);
        }
        driving = required.isEmpty() ? alternatives(definition.root()) : null;
        String condition = group(definition.root());
        List<Object> where = parameters;
        // an EXISTS runs only for profiles that passed the rest; otherwise a required count criterion's derived
        // table drives
        EventCriterion driver = semiJoins.isEmpty() ? required.stream().findFirst().orElse(null) : null;
        List<Object> all = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (union != null) {
            // every member has an event of one alternative: their qualifying MPIDs first, then those profiles
            sql.append("SELECT p.mpid FROM (").append(union.sql()).append(") d STRAIGHT_JOIN profile p")
                    .append(" ON p.workspace_id = ? AND p.mpid = d.mpid");
            all.addAll(union.parameters());
            all.add(workspaceId);
            joins(sql, all, null);
            sql.append(" WHERE TRUE");
        } else if (driver == null) {
            sql.append("SELECT p.mpid FROM profile p");
            joins(sql, all, null);
            sql.append(" WHERE p.workspace_id = ?");
            all.add(workspaceId);
        } else {
            // the derived table of a required criterion first: profiles without such events are never read
            CountedEvents first = counts.stream().filter(c -> c.criterion() == driver).findFirst().orElseThrow();
            // STRAIGHT_JOIN the operator, not the SELECT option: that one is lost when the statement running this
            // query merges it as a derived table (INSERT … SELECT … FROM (query) q), and MariaDB then sometimes read
            // the range's every profile first
            sql.append("SELECT p.mpid FROM (").append(first.sql()).append(") ").append(first.alias())
                    .append(" STRAIGHT_JOIN profile p ON p.workspace_id = ? AND p.mpid = ").append(first.alias())
                    .append(".mpid");
            all.addAll(first.parameters());
            all.add(workspaceId);
            joins(sql, all, first);
            sql.append(" WHERE TRUE");
        }
        scope(scope, "p", sql, all);
        sql.append(" AND ").append(condition);
        all.addAll(where);
        semiJoins.forEach(semiJoin -> sql.append(" AND ").append(semiJoin));
        all.addAll(semiJoinParameters);
        return new CompiledQuery(sql.toString(), List.copyOf(all));
    }

    private void joins(StringBuilder sql, List<Object> all, CountedEvents except) {
        for (CountedEvents counted : counts) {
            if (counted != except) {
                sql.append(" LEFT JOIN (").append(counted.sql()).append(") ").append(counted.alias())
                        .append(" ON ").append(counted.alias()).append(".mpid = p.mpid");
                all.addAll(counted.parameters());
            }
        }
    }

    /** Restricts {@code table}'s MPID column to the scope. */
    static void scope(ProfileScope scope, String table, StringBuilder sql, List<Object> values) {
        if (scope instanceof ProfileScope.Profiles profiles) {
            if (profiles.mpids().isEmpty()) {
                sql.append(" AND FALSE");
                return;
            }
            sql.append(" AND ").append(table).append(".mpid IN (").append(ConditionSql.placeholders(profiles.mpids().size()))
                    .append(')');
            values.addAll(profiles.mpids());
        } else if (scope instanceof ProfileScope.MpidRange range) {
            sql.append(" AND ").append(table).append(".mpid BETWEEN ? AND ?");
            values.add(range.from());
            values.add(range.to());
        }
    }

    /**
     * The event criteria every member must satisfy with at least one event: items of the root group that are the
     * first item or joined by And, with no Or after them at the root.
     */
    private static List<EventCriterion> requiredEvents(Group root) {
        List<EventCriterion> required = new ArrayList<>();
        for (int i = 0; i < root.items().size(); i++) {
            Group.Item item = root.items().get(i);
            if (i > 0 && item.connector() == Connector.OR) {
                required.clear();
            } else if ((i == 0 || item.connector() == Connector.AND)
                    && item.node() instanceof EventCriterion event && !event.frequency().test(0)) {
                required.add(event);
            }
        }
        return required;
    }

    /**
     * Whether members must also pass a Users, membership or group item at the root (And or Exclude, after the last
     * Or): then checking required events per remaining profile beats reading every matching event of the key
     * (measured on 1M profiles: "Paris viewers And Premium" 14.2 s as a derived table, 5.6 s as EXISTS; without
     * such a filter EXISTS costs a probe per profile: "Add to Cart Exclude Purchase" 1.3 s derived, 4.3 s EXISTS).
     */
    private static boolean profilesFilterFirst(Group root) {
        boolean filter = false;
        for (int i = 0; i < root.items().size(); i++) {
            Group.Item item = root.items().get(i);
            if (i > 0 && item.connector() == Connector.OR) {
                filter = false;
            } else if (!(item.node() instanceof EventCriterion)) {
                filter = true;
            }
        }
        return filter;
    }

    /**
     * A group every member must satisfy (the first item of the root, or joined by And, with no Or after it at the
     * root) made only of event criteria joined by Or, none of which holds with zero events: every member is in
     * the union of their qualifying MPIDs (measured on 1M profiles, "(Paris viewers Or Search ≥ 3) And iOS
     * Exclude Free": 0.6 s driven by the union, 2.1 s checking each remaining profile).
     */
    private static Group alternatives(Group root) {
        Group found = null;
        for (int i = 0; i < root.items().size(); i++) {
            Group.Item item = root.items().get(i);
            if (i > 0 && item.connector() == Connector.OR) {
                found = null;
            } else if (found == null && (i == 0 || item.connector() == Connector.AND)
                    && item.node() instanceof Group group && eventAlternatives(group)) {
                found = group;
            }
        }
        return found;
    }

    private static boolean eventAlternatives(Group group) {
        if (group.items().isEmpty()) {
            return false;
        }
        for (int i = 0; i < group.items().size(); i++) {
            Group.Item item = group.items().get(i);
            if ((i > 0 && item.connector() != Connector.OR) || !(item.node() instanceof EventCriterion event)
                    || event.frequency().test(0)) {
                return false;
            }
        }
        return true;
    }

    /** "At least one matching event": a semi-join can stop at the first. */
    private static boolean anyEvent(EventCriterion criterion) {
        Frequency frequency = criterion.frequency();
        return (frequency.comparison() == Frequency.Comparison.GREATER_THAN && frequency.count() == 0)
                || (frequency.comparison() == Frequency.Comparison.AT_LEAST && frequency.count() == 1);
    }

    private String group(Group group) {
        if (group.items().isEmpty()) {
            return "FALSE";
        }
        String result = null;
        for (Group.Item item : group.items()) {
            String value = node(item.node());
            result = result == null ? value : switch (item.connector()) {
                case AND -> "(" + result + " AND " + value + ")";
                case OR -> "(" + result + " OR " + value + ")";
                case EXCLUDE -> "(" + result + " AND NOT " + value + ")";
            };
        }
        return result;
    }

    private String node(Node node) {
        if (node instanceof Group group) {
            return group == driving ? drivingGroup(group) : group(group);
        }
        if (node instanceof EventCriterion event) {
            return event(event);
        }
        if (node instanceof MembershipCriterion membership) {
            return membership(membership);
        }
        return user((UserCriterion) node);
    }

    private String event(EventCriterion criterion) {
        EventSql events = new EventSql(definition, workspaceId, scope, now, columns);
        if (semiJoined.contains(criterion)) {
            // checked last, per profile that passed everything else, up to its first matching event
            EventSql.Part exists = events.existsFor(criterion);
            semiJoins.add(exists.sql());
            semiJoinParameters.addAll(exists.parameters());
            return "TRUE";
        }
        EventSql.Part counted = events.countsPerProfile(criterion);
        String alias = "c" + (counts.size() + 1);
        counts.add(new CountedEvents(criterion, alias, counted.sql(), counted.parameters()));
        return "(IFNULL(" + alias + ".n, 0)" + EventSql.comparison(criterion.frequency(), parameters) + ")";
    }

    /**
     * The driving group ({@link #alternatives}): its members are exactly the union of each criterion's qualifying
     * MPIDs, which drives the query, so the group itself holds for every row.
     */
    private String drivingGroup(Group group) {
        EventSql events = new EventSql(definition, workspaceId, scope, now, columns);
        List<String> parts = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Group.Item item : group.items()) {
            EventSql.Part qualifying = events.qualifying((EventCriterion) item.node());
            parts.add(qualifying.sql());
            values.addAll(qualifying.parameters());
        }
        union = new EventSql.Part(String.join(" UNION ", parts), values);
        return "TRUE";
    }

    /** In (or not in) another audience's complete membership. */
    private String membership(MembershipCriterion criterion) {
        parameters.add(criterion.audienceId());
        parameters.add(criterion.audienceId());
        return (criterion.member() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM audience_member m"
                + " WHERE m.audience_id = ? AND m.mpid = p.mpid AND m.generation = (SELECT MAX(r.generation)"
                + " FROM calculation_run r WHERE r.audience_id = ? AND r.status = 'DONE'))";
    }

    private String user(UserCriterion criterion) {
        Condition condition = criterion.condition();
        return switch (criterion.field()) {
            case ATTRIBUTE -> conditions().jsonCondition("p.user_attributes", AttributeColumns.Source.PROFILE, condition);
            case IDENTITY -> conditions().jsonCondition("p.identities", condition);
            case DEVICE -> conditions().jsonCondition("p.device_info", condition);
            case PLATFORM -> conditions().keysCondition("p.platforms", condition);
            case COUNTRY -> conditions().textCondition("p.country", condition);
            case REGION -> conditions().textCondition("p.region", condition);
            case CITY -> conditions().textCondition("p.city", condition);
            case FIRST_SEEN -> conditions().timeCondition("p.first_seen_at", condition);
            case LAST_SEEN -> conditions().timeCondition("p.last_seen_at", condition);
        };
    }

    /** Value conditions bind into whichever list this part of the query collects. */
    private ConditionSql conditions() {
        return new ConditionSql(parameters, now, columns);
    }
}
