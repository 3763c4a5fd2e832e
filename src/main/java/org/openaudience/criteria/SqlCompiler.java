package org.openaudience.criteria;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compiles a definition into one MariaDB query over a scope of profiles. Each event criterion becomes a derived
 * table counting matching events per MPID, read from the (workspace, event type, event key, MPID, time) index over
 * the scope's MPIDs only, and LEFT JOINed to the profile row {@code p}; user criteria are expressions on {@code p}.
 * Connectors become AND / OR / AND NOT, left to right. When the tree requires some event criterion, its derived
 * table drives the query, so only profiles with such events are read. Every leaf is NULL-free so that Exclude never
 * meets SQL's unknown. The rules are those of {@link ValueMatcher}.
 */
public final class SqlCompiler {

    private static final String NUMBER_REGEX = "^-?[0-9]+(\\.[0-9]+)?$";
    private static final String EPOCH_REGEX = "^[0-9]{12,13}$";
    private static final String DAY_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    private static final String DAY_TIME_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";

    private final Definition definition;
    private final long workspaceId;
    private final ProfileScope scope;
    private final Instant now;
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

    /** One event criterion's derived table: its alias, SQL and values. */
    private record CountedEvents(EventCriterion criterion, String alias, String sql, List<Object> parameters) {
    }

    private SqlCompiler(Definition definition, long workspaceId, ProfileScope scope, Instant now) {
        this.definition = definition;
        this.workspaceId = workspaceId;
        this.scope = scope;
        this.now = now;
    }

    public static CompiledQuery compile(Definition definition, long workspaceId, ProfileScope scope, Instant now) {
        return new SqlCompiler(definition, workspaceId, scope, now).compile();
    }

    private CompiledQuery compile() {
        List<EventCriterion> required = requiredEvents(definition.root());
        if (profilesFilterFirst(definition.root())) {
            required.stream().filter(SqlCompiler::anyEvent).forEach(semiJoined::add);
        }
        String condition = group(definition.root());
        List<Object> where = parameters;
        // an EXISTS runs only for profiles that passed the rest; otherwise a required count criterion's derived
        // table drives
        EventCriterion driver = semiJoins.isEmpty() ? required.stream().findFirst().orElse(null) : null;
        List<Object> all = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (driver == null) {
            sql.append("SELECT p.mpid FROM profile p");
            joins(sql, all, null);
            sql.append(" WHERE p.workspace_id = ?");
            all.add(workspaceId);
        } else {
            // the derived table of a required criterion first: profiles without such events are never read
            CountedEvents first = counts.stream().filter(c -> c.criterion() == driver).findFirst().orElseThrow();
            sql.append("SELECT STRAIGHT_JOIN p.mpid FROM (").append(first.sql()).append(") ").append(first.alias())
                    .append(" JOIN profile p ON p.workspace_id = ? AND p.mpid = ").append(first.alias())
                    .append(".mpid");
            all.addAll(first.parameters());
            all.add(workspaceId);
            joins(sql, all, first);
            sql.append(" WHERE TRUE");
        }
        scope("p", sql, all);
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
    private void scope(String table, StringBuilder sql, List<Object> values) {
        if (scope instanceof ProfileScope.Profiles profiles) {
            if (profiles.mpids().isEmpty()) {
                sql.append(" AND FALSE");
                return;
            }
            sql.append(" AND ").append(table).append(".mpid IN (").append(placeholders(profiles.mpids().size()))
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
            return group(group);
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
        List<Object> where = parameters;
        parameters = new ArrayList<>();
        boolean exists = semiJoined.contains(criterion);
        StringBuilder count = new StringBuilder((exists ? "EXISTS (SELECT 1" : "SELECT e.mpid, COUNT(*) AS n")
                + " FROM event e WHERE e.workspace_id = ? AND e.event_type = ? AND e.event_key = ?");
        parameters.add(workspaceId);
        parameters.add(criterion.kind().eventType());
        parameters.add(criterion.eventKey());
        if (exists) {
            count.append(" AND e.mpid = p.mpid");
        } else {
            scope("e", count, parameters);
        }
        count.append(" AND e.event_time >= ? AND e.event_time < ?");
        parameters.add(Timestamp.from(criterion.window().from(now)));
        parameters.add(Timestamp.from(criterion.window().to(now)));
        if (criterion.customEventType() != null) {
            count.append(" AND e.custom_event_type = ?");
            parameters.add(criterion.customEventType());
        }
        if (!definition.inputIds().isEmpty()) {
            count.append(" AND e.input_id IN (").append(placeholders(definition.inputIds().size())).append(')');
            parameters.addAll(definition.inputIds().stream().sorted().toList());
        }
        criterion.kind().impliedTrueAttribute().ifPresent(attribute -> {
            count.append(" AND IFNULL(LOWER(").append(scalar("e.attributes")).append(") = 'true', 0)");
            bind(path(attribute));
        });
        for (Condition condition : criterion.conditions()) {
            count.append(" AND ").append(jsonCondition("e.attributes", condition));
        }
        if (exists) {
            // checked last, per profile that passed everything else, up to its first matching event
            semiJoins.add(count.append(')').toString());
            semiJoinParameters.addAll(parameters);
            parameters = where;
            return "TRUE";
        }
        count.append(" GROUP BY e.mpid");
        String alias = "c" + (counts.size() + 1);
        counts.add(new CountedEvents(criterion, alias, count.toString(), parameters));
        parameters = where;
        Frequency frequency = criterion.frequency();
        String comparison = switch (frequency.comparison()) {
            case GREATER_THAN -> " > ?";
            case AT_LEAST -> " >= ?";
            case EXACTLY -> " = ?";
            case LESS_THAN -> " < ?";
            case BETWEEN -> " BETWEEN ? AND ?";
        };
        parameters.add(frequency.count());
        if (frequency.comparison() == Frequency.Comparison.BETWEEN) {
            parameters.add(frequency.max());
        }
        return "(IFNULL(" + alias + ".n, 0)" + comparison + ")";
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
            case ATTRIBUTE -> jsonCondition("p.user_attributes", condition);
            case IDENTITY -> jsonCondition("p.identities", condition);
            case DEVICE -> jsonCondition("p.device_info", condition);
            case PLATFORM -> listCondition("JSON_KEYS(p.platforms)", "TRUE", condition);
            case COUNTRY -> textCondition("p.country", condition);
            case REGION -> textCondition("p.region", condition);
            case CITY -> textCondition("p.city", condition);
            case FIRST_SEEN -> timeCondition("p.first_seen_at", condition);
            case LAST_SEEN -> timeCondition("p.last_seen_at", condition);
        };
    }

    /** A condition on one field of a JSON object column. */
    private String jsonCondition(String column, Condition condition) {
        String path = path(condition.attribute());
        Operator op = condition.operator();
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            parameters.add(path);
            return (op == Operator.EXISTS ? "" : "NOT ") + "IFNULL(JSON_EXISTS(" + column + ", ?), 0)";
        }
        if (condition.type() == DataType.LIST) {
            parameters.add(path);
            String exists = "JSON_TYPE(JSON_EXTRACT(" + column + ", ?)) = 'ARRAY'";
            parameters.add(path);
            return listCondition("JSON_EXTRACT(" + column + ", ?)", exists, condition);
        }
        return scalarCondition(scalar(column), path, condition);
    }

    /** A condition on a nullable text column (country, region, city). */
    private String textCondition(String column, Condition condition) {
        Operator op = condition.operator();
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            return "(" + column + (op == Operator.EXISTS ? " IS NOT NULL)" : " IS NULL)");
        }
        return scalarCondition(column, null, condition);
    }

    /** Scalar text {@code value} (an expression, bound with {@code path} first when it needs one). */
    private String scalarCondition(String value, String path, Condition condition) {
        List<String> values = condition.values();
        String expression = switch (condition.type()) {
            case STRING -> stringCondition(value, path, condition.operator(), values);
            case NUMBER -> {
                bind(path);
                String text = value;
                parameters.add(NUMBER_REGEX);
                bind(path);
                yield "(" + text + " REGEXP ? AND " + numberComparison("CAST(" + value + " AS DOUBLE)",
                        condition.operator(), values) + ")";
            }
            case BOOLEAN -> {
                bind(path);
                yield "LOWER(" + value + ") = '" + (condition.operator() == Operator.IS_TRUE ? "true" : "false") + "'";
            }
            case DATE -> dateCondition(value, path, condition.operator(), values);
            case LIST -> "FALSE";
        };
        return "IFNULL(" + expression + ", 0)";
    }

    private String stringCondition(String value, String path, Operator op, List<String> values) {
        String lowered = "LOWER(" + value + ")";
        String first = values.isEmpty() ? "" : ValueMatcher.lower(values.get(0));
        switch (op) {
            case EXACT_MATCH, DOES_NOT_MATCH -> {
                bind(path);
                parameters.add(first);
                return lowered + (op == Operator.EXACT_MATCH ? " = ?" : " <> ?");
            }
            case CONTAINS, DOES_NOT_CONTAIN -> {
                parameters.add(first);
                bind(path);
                return "LOCATE(?, " + lowered + ")" + (op == Operator.CONTAINS ? " > 0" : " = 0");
            }
            case STARTS_WITH, ENDS_WITH -> {
                bind(path);
                parameters.add(first);
                parameters.add(first);
                return (op == Operator.STARTS_WITH ? "LEFT(" : "RIGHT(") + lowered + ", CHAR_LENGTH(?)) = ?";
            }
            case PATTERN -> {
                bind(path);
                parameters.add(likePattern(first));
                return lowered + " LIKE ? ESCAPE '!'";
            }
            case IS_IN_LIST -> {
                bind(path);
                values.forEach(v -> parameters.add(ValueMatcher.lower(v)));
                return lowered + " IN (" + placeholders(values.size()) + ")";
            }
            default -> {
                return "FALSE";
            }
        }
    }

    private String numberComparison(String number, Operator op, List<String> values) {
        parameters.add(Double.parseDouble(values.get(0)));
        return switch (op) {
            case EQUALS -> number + " = ?";
            case NOT_EQUALS -> number + " <> ?";
            case GREATER_THAN -> number + " > ?";
            case GREATER_OR_EQUAL -> number + " >= ?";
            case LESS_THAN -> number + " < ?";
            case LESS_OR_EQUAL -> number + " <= ?";
            case NUMBER_BETWEEN -> {
                parameters.add(Double.parseDouble(values.get(1)));
                yield number + " BETWEEN ? AND ?";
            }
            default -> "FALSE";
        };
    }

    /** Text dates (epoch ms, yyyy-MM-dd, yyyy-MM-ddTHH:mm:ssZ) turned into epoch ms without time zones. */
    private String dateCondition(String value, String path, Operator op, List<String> values) {
        String millis = "(CASE WHEN " + value + " REGEXP ? THEN CAST(" + value + " AS UNSIGNED)"
                + " WHEN " + value + " REGEXP ? THEN TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', STR_TO_DATE("
                + value + ", '%Y-%m-%d')) * 1000"
                + " WHEN " + value + " REGEXP ? THEN TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', STR_TO_DATE("
                + value + ", '%Y-%m-%dT%H:%i:%sZ')) * 1000 END)";
        bind(path);
        parameters.add(EPOCH_REGEX);
        bind(path);
        bind(path);
        parameters.add(DAY_REGEX);
        bind(path);
        bind(path);
        parameters.add(DAY_TIME_REGEX);
        bind(path);
        return dateBounds(millis, op, values, false);
    }

    /** A condition on a DATETIME column, compared with timestamps so the JDBC time zone mapping cancels out. */
    private String timeCondition(String column, Condition condition) {
        Operator op = condition.operator();
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            return "(" + column + (op == Operator.EXISTS ? " IS NOT NULL)" : " IS NULL)");
        }
        return "IFNULL(" + dateBounds(column, op, condition.values(), true) + ", 0)";
    }

    /** Every bound references {@code value} once (its parameters were bound once). */
    private String dateBounds(String value, Operator op, List<String> values, boolean timestamps) {
        long day = Duration.ofDays(1).toMillis();
        return switch (op) {
            case BEFORE -> value + " < " + bound(ValueMatcher.dayStart(values.get(0)), timestamps);
            case AFTER -> value + " >= " + bound(ValueMatcher.dayStart(values.get(0)), timestamps);
            case ON -> between(value, ValueMatcher.dayStart(values.get(0)),
                    ValueMatcher.dayStart(values.get(0)) + day - 1, timestamps);
            case DATE_BETWEEN -> between(value, ValueMatcher.dayStart(values.get(0)),
                    ValueMatcher.dayStart(values.get(1)) + day - 1, timestamps);
            case IN_LAST_DAYS -> between(value,
                    now.minus(Duration.ofDays(Long.parseLong(values.get(0)))).toEpochMilli(), now.toEpochMilli(),
                    timestamps);
            case MORE_THAN_DAYS_AGO -> value + " < "
                    + bound(now.minus(Duration.ofDays(Long.parseLong(values.get(0)))).toEpochMilli(), timestamps);
            default -> "FALSE";
        };
    }

    /** Inclusive on both ends; times are whole milliseconds, so [a, b) is BETWEEN a AND b - 1 ms. */
    private String between(String value, long first, long last, boolean timestamps) {
        return value + " BETWEEN " + bound(first, timestamps) + " AND " + bound(last, timestamps);
    }

    private String bound(long millis, boolean timestamp) {
        parameters.add(timestamp ? Timestamp.from(Instant.ofEpochMilli(millis)) : millis);
        return "?";
    }

    /**
     * List conditions on a JSON array expression; {@code isList} and {@code array} have bound their paths (in
     * that order) already. JSON_SEARCH compares text elements with LIKE, so the value is escaped with '!'.
     */
    private String listCondition(String array, String isList, Condition condition) {
        Operator op = condition.operator();
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            return op == Operator.EXISTS ? "TRUE" : "FALSE";
        }
        String value = likeEscape(ValueMatcher.lower(condition.values().get(0)));
        parameters.add(op == Operator.PARTIAL_MATCH ? "%" + value + "%" : value);
        String found = "JSON_SEARCH(LOWER(" + array + "), 'one', ?, '!') IS NOT NULL";
        String expression = switch (op) {
            case INCLUDES, PARTIAL_MATCH -> "(" + isList + " AND " + found + ")";
            case DOES_NOT_INCLUDE -> "(" + isList + " AND NOT " + found + ")";
            default -> "FALSE";
        };
        return "IFNULL(" + expression + ", 0)";
    }

    /**
     * The text of a scalar JSON field, NULL for arrays, objects and null. (MariaDB's JSON_VALUE turns booleans into
     * 1 / 0, so it is not used.) Its two placeholders take the same path: see {@link #bind}.
     */
    private static String scalar(String column) {
        return "(CASE WHEN JSON_TYPE(JSON_EXTRACT(" + column + ", ?)) IN ('ARRAY', 'OBJECT', 'NULL') THEN NULL"
                + " ELSE JSON_UNQUOTE(JSON_EXTRACT(" + column + ", ?)) END)";
    }

    /** Binds a JSON path for one use of a {@link #scalar} expression (nothing for plain columns). */
    private void bind(String path) {
        if (path != null) {
            parameters.add(path);
            parameters.add(path);
        }
    }

    static String path(String attribute) {
        return "$.\"" + attribute.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String likeEscape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static String likePattern(String pattern) {
        StringBuilder like = new StringBuilder();
        for (char c : likeEscape(pattern).toCharArray()) {
            like.append(c == '*' ? '%' : c == '?' ? '_' : c);
        }
        return like.toString();
    }

    private static String placeholders(int count) {
        return java.util.Collections.nCopies(count, "?").stream().collect(Collectors.joining(", "));
    }
}
