package org.openaudience.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the in-memory evaluator applies one condition to one value. {@link SqlCompiler} implements the very same rules
 * in MariaDB SQL; the property test proves they agree:
 * <ul>
 *   <li>text compares by {@link TextRule}: case-insensitively, accents and spaces count;</li>
 *   <li>a negative operator (Does Not Match, Does Not Contain, Not Equals, Does Not Include) holds exactly when its
 *       positive twin does not — also for a missing value or one of another type;</li>
 *   <li>numbers are values matching {@code -?digits(.digits)?}; anything else never satisfies a positive number
 *       operator;</li>
 *   <li>booleans are the texts true / false in any case;</li>
 *   <li>dates are epoch milliseconds (12–13 digits), {@code yyyy-MM-dd} or {@code yyyy-MM-ddTHH:mm:ssZ} (UTC);</li>
 *   <li>lists are JSON arrays; their elements that are text, numbers or booleans compare as text (nested lists
 *       and objects are not searched);</li>
 *   <li>Exists / Does Not Exist look at presence only.</li>
 * </ul>
 */
final class ValueMatcher {

    static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    static final Pattern EPOCH_MILLIS = Pattern.compile("[0-9]{12,13}");
    static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    static final Pattern DAY_TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");

    private ValueMatcher() {
    }

    /** @param value the attribute's JSON value, or null when absent */
    static boolean matches(Condition condition, JsonNode value, Instant now) {
        Operator op = condition.operator();
        if (op.negates() != null) {
            return !matches(condition.withOperator(op.negates()), value, now);
        }
        if (op == Operator.EXISTS) {
            return value != null && !value.isNull();
        }
        if (op == Operator.DOES_NOT_EXIST) {
            return value == null || value.isNull();
        }
        if (value == null || value.isNull()) {
            return false;
        }
        if (condition.type() == DataType.LIST) {
            return value.isArray() && matchesList(op, value, TextRule.fold(condition.values().get(0)));
        }
        if (!value.isValueNode()) {
            return false;
        }
        return matchesScalar(condition, value.asText(), now);
    }

    /** For columns that hold text (country, city) or a time (first / last seen). */
    static boolean matchesText(Condition condition, String text, Instant now) {
        Operator op = condition.operator();
        if (op.negates() != null) {
            return !matchesText(condition.withOperator(op.negates()), text, now);
        }
        if (op == Operator.EXISTS) {
            return text != null;
        }
        if (op == Operator.DOES_NOT_EXIST) {
            return text == null;
        }
        return text != null && matchesScalar(condition, text, now);
    }

    static boolean matchesTime(Condition condition, Instant time, Instant now) {
        Operator op = condition.operator();
        if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
            return (time != null) == (op == Operator.EXISTS);
        }
        return time != null && matchesDate(op, time.toEpochMilli(), condition.values(), now);
    }

    private static boolean matchesScalar(Condition condition, String raw, Instant now) {
        Operator op = condition.operator();
        List<String> values = condition.values();
        return switch (condition.type()) {
            case STRING -> matchesString(op, TextRule.fold(raw), values);
            case NUMBER -> NUMBER.matcher(raw).matches() && matchesNumber(op, Double.parseDouble(raw), values);
            case BOOLEAN -> TextRule.fold(raw).equals(op == Operator.IS_TRUE ? "true" : "false");
            case DATE -> {
                Long millis = dateMillis(raw);
                yield millis != null && matchesDate(op, millis, values, now);
            }
            case LIST -> false;
        };
    }

    /** Positive string operators on folded text (negative ones never get here). */
    private static boolean matchesString(Operator op, String text, List<String> values) {
        String value = values.isEmpty() ? "" : TextRule.fold(values.get(0));
        return switch (op) {
            case EXACT_MATCH -> text.equals(value);
            case CONTAINS -> text.contains(value);
            case STARTS_WITH -> text.startsWith(value);
            case ENDS_WITH -> text.endsWith(value);
            case PATTERN -> patternRegex(value).matcher(text).matches();
            case IS_IN_LIST -> values.stream().map(TextRule::fold).anyMatch(text::equals);
            default -> false;
        };
    }

    private static boolean matchesNumber(Operator op, double number, List<String> values) {
        double a = Double.parseDouble(values.get(0));
        return switch (op) {
            case EQUALS -> number == a;
            case GREATER_THAN -> number > a;
            case GREATER_OR_EQUAL -> number >= a;
            case LESS_THAN -> number < a;
            case LESS_OR_EQUAL -> number <= a;
            case NUMBER_BETWEEN -> number >= a && number <= Double.parseDouble(values.get(1));
            default -> false;
        };
    }

    static boolean matchesDate(Operator op, long millis, List<String> values, Instant now) {
        return switch (op) {
            case BEFORE -> millis < dayStart(values.get(0));
            case AFTER -> millis >= dayStart(values.get(0));
            case ON -> millis >= dayStart(values.get(0)) && millis < dayStart(values.get(0)) + Duration.ofDays(1)
                    .toMillis();
            case DATE_BETWEEN -> millis >= dayStart(values.get(0))
                    && millis < dayStart(values.get(1)) + Duration.ofDays(1).toMillis();
            case IN_LAST_DAYS -> millis >= now.minus(Duration.ofDays(Long.parseLong(values.get(0)))).toEpochMilli()
                    && millis <= now.toEpochMilli();
            case MORE_THAN_DAYS_AGO -> millis < now.minus(Duration.ofDays(Long.parseLong(values.get(0))))
                    .toEpochMilli();
            default -> false;
        };
    }

    /** Includes and Partial Match on the array's scalar elements, folded (Does Not Include never gets here). */
    private static boolean matchesList(Operator op, JsonNode array, String value) {
        List<String> elements = new java.util.ArrayList<>();
        array.forEach(element -> {
            if (element.isValueNode() && !element.isNull()) {
                elements.add(TextRule.fold(element.asText()));
            }
        });
        return switch (op) {
            case INCLUDES -> elements.stream().anyMatch(value::equals);
            case PARTIAL_MATCH -> elements.stream().anyMatch(text -> text.contains(value));
            default -> false;
        };
    }

    /** Epoch milliseconds of a date value, or null when it is not one of the date forms. */
    static Long dateMillis(String raw) {
        try {
            if (EPOCH_MILLIS.matcher(raw).matches()) {
                return Long.parseLong(raw);
            }
            if (DAY.matcher(raw).matches()) {
                return LocalDate.parse(raw).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            if (DAY_TIME.matcher(raw).matches()) {
                return LocalDateTime.parse(raw.substring(0, 19)).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }

    static long dayStart(String day) {
        return LocalDate.parse(day).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** {@code *} any run, {@code ?} one character, everything else literal. */
    static Pattern patternRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        // by code point: an emoji is one character, as for MariaDB's LIKE
        pattern.codePoints().forEach(c -> {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(Character.toString(c)));
            }
        });
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
