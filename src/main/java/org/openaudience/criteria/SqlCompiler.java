package org.openaudience.criteria;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a definition into one MariaDB query over a scope of profiles. Each event criterion becomes a derived
 * table counting matching events per MPID, read from the (workspace, event type, folded event key, MPID, time) index
 * over the scope's MPIDs only, and LEFT JOINed to the profile row {@code p}; user criteria are expressions on
 * {@code p}, or, where event MPIDs drive, one-value tests of indexed attributes are looked up in their index
 * ({@link ProfileLookups}), and a query needing nothing else of the profile reads no profile row.
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
    /** Where event MPIDs drive the query: its indexed profile attribute conditions, as lookups; else null. */
    private ProfileLookups lookups;
    /** Whether some part of the condition reads the profile row {@code p}. */
    private boolean readsProfile;

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
        List<EventCriterion> required = DefinitionShape.requiredEvents(definition.root());
        if (DefinitionShape.profilesFilterFirst(definition.root())) {
            // probing per remaining profile pays when the events' own rows would be read (JSON attributes); from
            // indexes alone, the criterion's MPIDs drive (1M profiles, "Paris viewers And Premium" with both
            // attributes indexed: 0.35 s driven by the viewers, 0.66 s probing each Premium profile)
            required.stream().filter(DefinitionShape::anyEvent).filter(this::readsJson).forEach(semiJoined::add);
        }
        driving = required.isEmpty() ? DefinitionShape.alternatives(definition.root()) : null;
        // a union, or a required criterion not checked per profile, drives (see below)
        if (driving != null || (semiJoined.isEmpty() && !required.isEmpty())) {
            lookups = new ProfileLookups(workspaceId, now, columns);
        }
        String condition = group(definition.root());
        List<Object> where = parameters;
        // an EXISTS runs only for profiles that passed the rest; otherwise a required count criterion's derived
        // table drives
        EventCriterion driver = semiJoins.isEmpty() ? required.stream().findFirst().orElse(null) : null;
        List<Object> all = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        // every event belongs to a stored profile (ingestion writes both in one transaction, and a profile goes only
        // with its workspace): a definition of event criteria and lookups needs no profile row, only its driver's MPIDs
        boolean profileFree = (union != null || driver != null) && !readsProfile && semiJoins.isEmpty();
        if (union != null && profileFree) {
            sql.append("SELECT d.mpid AS mpid FROM (").append(union.sql()).append(") d");
            all.addAll(union.parameters());
            joins(sql, all, null, "d");
            sql.append(" WHERE TRUE");
        } else if (union != null) {
            // every member has an event of one alternative: their qualifying MPIDs first, then those profiles
            sql.append("SELECT p.mpid FROM (").append(union.sql()).append(") d STRAIGHT_JOIN profile p")
                    .append(" ON p.workspace_id = ? AND p.mpid = d.mpid");
            all.addAll(union.parameters());
            all.add(workspaceId);
            joins(sql, all, null, "p");
            sql.append(" WHERE TRUE");
        } else if (driver == null) {
            sql.append("SELECT p.mpid FROM profile p");
            joins(sql, all, null, "p");
            sql.append(" WHERE p.workspace_id = ?");
            all.add(workspaceId);
        } else {
            // the derived table of a required criterion first: profiles without such events are never read
            CountedEvents first = counts.stream().filter(c -> c.criterion() == driver).findFirst().orElseThrow();
            if (profileFree) {
                sql.append("SELECT ").append(first.alias()).append(".mpid AS mpid FROM (").append(first.sql())
                        .append(") ").append(first.alias());
                all.addAll(first.parameters());
                joins(sql, all, first, first.alias());
                sql.append(" WHERE TRUE AND ").append(condition);
                all.addAll(where);
                return new CompiledQuery(sql.toString(), List.copyOf(all));
            }
            // STRAIGHT_JOIN the operator, not the SELECT option: that one is lost when the statement running this
            // query merges it as a derived table (INSERT … SELECT … FROM (query) q), and MariaDB then sometimes read
            // the range's every profile first
            sql.append("SELECT p.mpid FROM (").append(first.sql()).append(") ").append(first.alias())
                    .append(" STRAIGHT_JOIN profile p ON p.workspace_id = ? AND p.mpid = ").append(first.alias())
                    .append(".mpid");
            all.addAll(first.parameters());
            all.add(workspaceId);
            joins(sql, all, first, "p");
            sql.append(" WHERE TRUE");
        }
        if (!profileFree) {
            scope(scope, "p", sql, all);
        }
        sql.append(" AND ").append(condition);
        all.addAll(where);
        semiJoins.forEach(semiJoin -> sql.append(" AND ").append(semiJoin));
        all.addAll(semiJoinParameters);
        return new CompiledQuery(sql.toString(), List.copyOf(all));
    }

    /**
     * LEFT JOINs the other criteria's counts, then the profile lookups, to the rows of {@code table} (the profile, or
     * the driver).
     */
    private void joins(StringBuilder sql, List<Object> all, CountedEvents except, String table) {
        for (CountedEvents counted : counts) {
            if (counted != except) {
                sql.append(" LEFT JOIN (").append(counted.sql()).append(") ").append(counted.alias())
                        .append(" ON ").append(counted.alias()).append(".mpid = ").append(table).append(".mpid");
                all.addAll(counted.parameters());
            }
        }
        if (lookups != null) {
            lookups.join(sql, all, table);
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

    /** Whether some condition of the criterion is read from the JSON of each event, not from an index. */
    private boolean readsJson(EventCriterion criterion) {
        List<Condition> conditions = new ArrayList<>(criterion.conditions());
        criterion.kind().impliedTrueAttribute()
                .ifPresent(attribute -> conditions.add(Condition.of(attribute, DataType.BOOLEAN, Operator.IS_TRUE)));
        return conditions.stream().anyMatch(condition -> AttributeColumns.kindFor(condition)
                .flatMap(kind -> columns.ready(new AttributeColumns.Column(AttributeColumns.Source.EVENT,
                        condition.attribute(), kind))).isEmpty());
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
        readsProfile = true;
        parameters.add(criterion.audienceId());
        parameters.add(criterion.audienceId());
        return (criterion.member() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM audience_member m"
                + " WHERE m.audience_id = ? AND m.mpid = p.mpid AND m.generation = (SELECT MAX(r.generation)"
                + " FROM calculation_run r WHERE r.audience_id = ? AND r.status = 'DONE'))";
    }

    private String user(UserCriterion criterion) {
        Condition condition = criterion.condition();
        if (lookups != null && criterion.field() == UserField.ATTRIBUTE) {
            java.util.Optional<String> lookedUp = lookups.condition(condition);
            if (lookedUp.isPresent()) {
                return lookedUp.get();
            }
        }
        readsProfile = true;
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
