package org.openaudience.criteria;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of one attribute or profile-field condition, with the rules of {@link ValueMatcher}: text folded and
 * compared by {@link TextRule}, numbers and dates parsed from text, lists searched element by element, negative
 * operators the exact negation of their positive twins. Every expression is NULL-free, and binds its values, in
 * order, into the list it was given.
 */
final class ConditionSql {

    // \z, not $: MariaDB's $ also matches before a final newline, so "12\n" would pass as a number
    private static final String NUMBER_REGEX = "^-?[0-9]+(\\.[0-9]+)?\\z";
    private static final String EPOCH_REGEX = "^[0-9]{12,13}\\z";
    private static final String DAY_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}\\z";
    private static final String DAY_TIME_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\\z";

    private final List<Object> parameters;
    private final Instant now;
    private final AttributeColumns columns;
    /** The indexed columns the conditions compiled so far read (the compiler names their index). */
    private final List<String> indexedColumnsUsed = new java.util.ArrayList<>();

    ConditionSql(List<Object> parameters, Instant now) {
        this(parameters, now, AttributeColumns.NONE);
    }

    ConditionSql(List<Object> parameters, Instant now, AttributeColumns columns) {
        this.parameters = parameters;
        this.now = now;
        this.columns = columns;
    }

    /** A condition on one field of a JSON object column. */
    String jsonCondition(String column, Condition condition) {
        return jsonCondition(column, null, condition);
    }

    /**
     * A condition on one attribute of {@code column}, the JSON of {@code source} (null: not indexed), read from the
     * attribute's ready indexed column where that gives the same answer.
     */
    String jsonCondition(String column, AttributeColumns.Source source, Condition condition) {
        Operator op = condition.operator();
        if (op.negates() != null) {
            return "NOT " + jsonCondition(column, source, condition.withOperator(op.negates()));
        }
        if (source != null) {
            String table = column.substring(0, column.indexOf('.') + 1);
            java.util.Optional<IndexedSql> indexed = AttributeColumns.kindFor(condition)
                    .flatMap(kind -> columns.ready(new AttributeColumns.Column(source, condition.attribute(), kind)))
                    .flatMap(name -> indexedCondition(table + name, condition)
                            .map(sql -> new IndexedSql(name, sql)));
            if (indexed.isPresent()) {
                indexedColumnsUsed.add(indexed.get().column());
                return indexed.get().sql();
            }
        }
        String path = path(condition.attribute());
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            // a JSON null is no value, as for the evaluator
            parameters.add(path);
            return (op == Operator.EXISTS ? "" : "NOT ") + "IFNULL(JSON_TYPE(JSON_EXTRACT(" + column
                    + ", ?)) <> 'NULL', 0)";
        }
        if (condition.type() == DataType.LIST) {
            parameters.add(path);
            return listCondition("JSON_EXTRACT(" + column + ", ?)", condition);
        }
        return scalarCondition(scalar(column), path, condition);
    }

    /**
     * A positive condition on an indexed attribute column ({@link AttributeColumns}), NULL-free as {@code (test AND
     * column IS NOT NULL)} so that the test stays a plain comparison MariaDB can look up in the index; empty when
     * the column's first {@link AttributeColumns#TEXT_LENGTH} characters cannot decide it.
     */
    java.util.Optional<String> indexedCondition(String column, Condition condition) {
        List<String> values = condition.values();
        String test;
        switch (condition.operator()) {
            case EXACT_MATCH, IS_IN_LIST -> {
                List<String> folded = values.stream().map(TextRule::fold).toList();
                // a stored value of the full length may be longer than its column: only shorter values decide
                if (folded.isEmpty() || folded.stream().anyMatch(v -> length(v) >= AttributeColumns.TEXT_LENGTH)) {
                    return java.util.Optional.empty();
                }
                parameters.addAll(folded);
                test = column + " IN (" + placeholders(folded.size()) + ")";
            }
            case STARTS_WITH -> {
                String prefix = TextRule.fold(values.get(0));
                if (length(prefix) > AttributeColumns.TEXT_LENGTH) {
                    return java.util.Optional.empty();
                }
                parameters.add(likeEscape(prefix) + "%");
                test = column + " LIKE ? ESCAPE '!'";
            }
            case IS_TRUE, IS_FALSE -> test = column + " = '" + (condition.operator() == Operator.IS_TRUE ? "true"
                    : "false") + "'";
            case EQUALS, GREATER_THAN, GREATER_OR_EQUAL, LESS_THAN, LESS_OR_EQUAL, NUMBER_BETWEEN ->
                    test = numberComparison(column, condition.operator(), values);
            default -> {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of("(" + test + " AND " + column + " IS NOT NULL)");
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private record IndexedSql(String column, String sql) {
    }

    /** The indexed columns read by the conditions compiled through this instance, in order. */
    List<String> indexedColumnsUsed() {
        return indexedColumnsUsed;
    }

    /** A condition on a nullable text column (country, region, city). */
    String textCondition(String column, Condition condition) {
        Operator op = condition.operator();
        if (op.negates() != null) {
            return "NOT " + textCondition(column, condition.withOperator(op.negates()));
        }
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            return "(" + column + (op == Operator.EXISTS ? " IS NOT NULL)" : " IS NULL)");
        }
        return scalarCondition(column, null, condition);
    }

    /** A list condition on the keys of a JSON object column (the profile's platforms). */
    String keysCondition(String column, Condition condition) {
        Operator op = condition.operator();
        if (op.negates() != null) {
            return "NOT " + keysCondition(column, condition.withOperator(op.negates()));
        }
        return listCondition("JSON_KEYS(" + column + ")", condition);
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
                yield TextRule.sql(value) + " = '" + (condition.operator() == Operator.IS_TRUE ? "true" : "false")
                        + "'";
            }
            case DATE -> dateCondition(value, path, condition.operator(), values);
            case LIST -> "FALSE";
        };
        return "IFNULL(" + expression + ", 0)";
    }

    /** Positive string operators on the folded text; the negative ones are their negation (see callers). */
    private String stringCondition(String value, String path, Operator op, List<String> values) {
        String folded = TextRule.sql(value);
        String first = values.isEmpty() ? "" : TextRule.fold(values.get(0));
        switch (op) {
            case EXACT_MATCH -> {
                bind(path);
                parameters.add(first);
                return folded + " = ?";
            }
            case CONTAINS -> {
                parameters.add(first);
                bind(path);
                return "LOCATE(?, " + folded + ") > 0";
            }
            case STARTS_WITH, ENDS_WITH -> {
                bind(path);
                parameters.add(first);
                parameters.add(first);
                return (op == Operator.STARTS_WITH ? "LEFT(" : "RIGHT(") + folded + ", CHAR_LENGTH(?)) = ?";
            }
            case PATTERN -> {
                bind(path);
                parameters.add(likePattern(first));
                return folded + " LIKE ? ESCAPE '!'";
            }
            case IS_IN_LIST -> {
                bind(path);
                values.forEach(v -> parameters.add(TextRule.fold(v)));
                return folded + " IN (" + placeholders(values.size()) + ")";
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
        // STR_TO_DATE keeps 2024-02-30 as it is and TIMESTAMPDIFF reads it as 1 March; Java's parser refuses it. A
        // date that is no date becomes NULL once moved by nothing (DATE_ADD … INTERVAL 0), so neither counts it
        String millis = "(CASE WHEN " + value + " REGEXP ? THEN CAST(" + value + " AS UNSIGNED)"
                + " WHEN " + value + " REGEXP ? THEN TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', DATE_ADD(STR_TO_DATE("
                + value + ", '%Y-%m-%d'), INTERVAL 0 SECOND)) * 1000"
                + " WHEN " + value + " REGEXP ? THEN TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', DATE_ADD(STR_TO_DATE("
                + value + ", '%Y-%m-%dT%H:%i:%sZ'), INTERVAL 0 SECOND)) * 1000 END)";
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
    String timeCondition(String column, Condition condition) {
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
     * List conditions on a JSON array expression whose placeholders are bound already: some element — text, number
     * or boolean, as text; nested lists and objects are not searched — equals (Includes) or contains (Partial
     * Match) the value under {@link TextRule}. Anything but an array has no elements. Does Not Include is the
     * negation of Includes (see callers).
     */
    String listCondition(String array, Condition condition) {
        Operator op = condition.operator();
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            return op == Operator.EXISTS ? "TRUE" : "FALSE";
        }
        if (op != Operator.INCLUDES && op != Operator.PARTIAL_MATCH) {
            return "FALSE";
        }
        parameters.add(TextRule.fold(condition.values().get(0)));
        String element = TextRule.sql("t.v");
        return "EXISTS (SELECT 1 FROM JSON_TABLE(" + array + ", '$[*]' COLUMNS (v LONGTEXT PATH '$')) AS t WHERE "
                + (op == Operator.INCLUDES ? element + " = ?" : "LOCATE(?, " + element + ") > 0") + ")";
    }

    /**
     * The text of a scalar JSON field, NULL for arrays, objects and null. (MariaDB's JSON_VALUE turns booleans into
     * 1 / 0, so it is not used.) Its two placeholders take the same path: see {@link #bind}.
     */
    static String scalar(String column) {
        return scalar(column, "?");
    }

    /** {@link #scalar(String)} with the path given as SQL ({@code ?} or a literal). */
    static String scalar(String column, String path) {
        return "(CASE WHEN JSON_TYPE(JSON_EXTRACT(" + column + ", " + path + ")) IN ('ARRAY', 'OBJECT', 'NULL') THEN NULL"
                + " ELSE JSON_UNQUOTE(JSON_EXTRACT(" + column + ", " + path + ")) END)";
    }

    /** A number as {@code NUMBER} conditions read it: the text when it matches {@link #NUMBER_REGEX}, as a double. */
    static String numberOrNull(String text) {
        return "(CASE WHEN " + text + " REGEXP " + AttributeColumnSql.literal(NUMBER_REGEX) + " THEN CAST(" + text
                + " AS DOUBLE) END)";
    }

    /** Binds a JSON path for one use of a {@link #scalar} expression (nothing for plain columns). */
    void bind(String path) {
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

    static String placeholders(int count) {
        return java.util.Collections.nCopies(count, "?").stream().collect(Collectors.joining(", "));
    }
}
