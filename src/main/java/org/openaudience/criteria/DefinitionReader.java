package org.openaudience.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@link DefinitionJson}'s form strictly, as scripts send it through the REST API: any wrong shape (a missing
 * or unknown field, text where a number belongs, an unknown operator, a malformed date) is refused with a
 * {@link MalformedDefinitionException} naming the criterion and field, never with whatever exception the model
 * would throw. Sizes are left to {@link DefinitionLimits}, except a hard stop on nesting so reading cannot recurse
 * without end.
 */
final class DefinitionReader {

    /** Far beyond {@link DefinitionLimits#MAX_GROUP_DEPTH} (which reports deeper groups where they are). */
    static final int MAX_NESTING = 10;

    /** Where in the definition: the criterion path ("2.1"; empty above the criteria) and the field in it. */
    private record Place(String criterion, String part) {

        Place at(String field) {
            return new Place(criterion, part.isEmpty() ? field : part + "." + field);
        }

        Place index(int i) {
            return new Place(criterion, part + "[" + i + "]");
        }
    }

    private DefinitionReader() {
    }

    static Definition read(JsonNode json) {
        Place top = new Place("", "");
        object(json, top);
        only(json, top, "schemaVersion", "inputs", "root");
        JsonNode version = json.get("schemaVersion");
        if (version == null || version.isNull()) {
            throw fail(top.at("schemaVersion"), "is required: send " + DefinitionJson.SCHEMA_VERSION
                    + ", the version this server reads.");
        }
        int schemaVersion = (int) whole(version, top.at("schemaVersion"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (schemaVersion < 1 || schemaVersion > DefinitionJson.SCHEMA_VERSION) {
            throw fail(top.at("schemaVersion"), "names schema version " + schemaVersion + ", which this server does"
                    + " not read (it reads version " + DefinitionJson.SCHEMA_VERSION + ").");
        }
        Set<Long> inputs = new LinkedHashSet<>();
        JsonNode inputIds = json.get("inputs");
        if (inputIds != null && !inputIds.isNull()) {
            array(inputIds, top.at("inputs"));
            for (int i = 0; i < inputIds.size(); i++) {
                inputs.add(whole(inputIds.get(i), top.at("inputs").index(i), 1, Long.MAX_VALUE));
            }
        }
        JsonNode root = required(json, top, "root");
        return new Definition(group(root, "", top.at("root"), 0), inputs);
    }

    private static Group group(JsonNode node, String prefix, Place place, int depth) {
        object(node, place);
        only(node, place, "items");
        JsonNode items = required(node, place, "items");
        array(items, place.at("items"));
        List<Group.Item> read = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = prefix + (i + 1);
            JsonNode item = items.get(i);
            Place itemPlace = new Place(path, "");
            object(item, itemPlace);
            only(item, itemPlace, "connector", "group", "event", "membership", "user");
            Connector connector = optionalEnum(item.get("connector"), itemPlace.at("connector"), Connector.class);
            List<String> kinds = present(item, "group", "event", "membership", "user");
            if (kinds.size() != 1) {
                throw fail(itemPlace, kinds.isEmpty() ? "needs one of group, event, membership or user."
                        : "has " + String.join(" and ", kinds) + "; send one of them per item.");
            }
            Node child = switch (kinds.get(0)) {
                case "group" -> {
                    if (depth + 1 > MAX_NESTING) {
                        throw fail(itemPlace.at("group"), "nests too deep: groups nest at most "
                                + DefinitionLimits.MAX_GROUP_DEPTH + " levels deep.");
                    }
                    yield group(item.get("group"), path + ".", itemPlace.at("group"), depth + 1);
                }
                case "event" -> event(item.get("event"), itemPlace.at("event"));
                case "membership" -> membership(item.get("membership"), itemPlace.at("membership"));
                default -> user(item.get("user"), itemPlace.at("user"));
            };
            read.add(new Group.Item(connector, child));
        }
        return new Group(read);
    }

    private static EventCriterion event(JsonNode node, Place place) {
        object(node, place);
        only(node, place, "kind", "name", "customEventType", "conditions", "frequency", "window");
        EventKind kind = requiredEnum(node, place, "kind", EventKind.class);
        List<Condition> conditions = new ArrayList<>();
        JsonNode list = node.get("conditions");
        if (list != null && !list.isNull()) {
            array(list, place.at("conditions"));
            for (int i = 0; i < list.size(); i++) {
                conditions.add(condition(list.get(i), place.at("conditions").index(i)));
            }
        }
        JsonNode frequency = node.get("frequency");
        JsonNode window = node.get("window");
        return new EventCriterion(kind, optionalText(node.get("name"), place.at("name")),
                optionalText(node.get("customEventType"), place.at("customEventType")), conditions,
                frequency == null || frequency.isNull() ? null : frequency(frequency, place.at("frequency")),
                window == null || window.isNull() ? null : window(window, place.at("window")));
    }

    private static Frequency frequency(JsonNode node, Place place) {
        object(node, place);
        only(node, place, "comparison", "count", "max");
        Frequency.Comparison comparison = requiredEnum(node, place, "comparison", Frequency.Comparison.class);
        long count = whole(required(node, place, "count"), place.at("count"), Long.MIN_VALUE, Long.MAX_VALUE);
        JsonNode max = node.get("max");
        if ((max == null || max.isNull()) && comparison == Frequency.Comparison.BETWEEN) {
            throw fail(place.at("max"), "is required for BETWEEN (the larger count).");
        }
        return new Frequency(comparison, count, max == null || max.isNull() ? count
                : whole(max, place.at("max"), Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private static Window window(JsonNode node, Place place) {
        object(node, place);
        JsonNode type = required(node, place, "type");
        String name = type.isTextual() ? type.asText() : "";
        return switch (name) {
            case "lastDays" -> {
                only(node, place, "type", "days");
                yield new Window.LastDays(integer(node, place, "days"));
            }
            case "lastHours" -> {
                only(node, place, "type", "hours");
                yield new Window.LastHours(integer(node, place, "hours"));
            }
            case "daysAgo" -> {
                only(node, place, "type", "newest", "oldest");
                yield new Window.DaysAgo(integer(node, place, "newest"), integer(node, place, "oldest"));
            }
            case "before" -> {
                only(node, place, "type", "date");
                yield new Window.Before(date(node, place, "date"));
            }
            case "after" -> {
                only(node, place, "type", "date");
                yield new Window.After(date(node, place, "date"));
            }
            case "on" -> {
                only(node, place, "type", "date");
                yield new Window.On(date(node, place, "date"));
            }
            case "between" -> {
                only(node, place, "type", "first", "last");
                yield new Window.Between(date(node, place, "first"), date(node, place, "last"));
            }
            default -> throw fail(place.at("type"), "must be one of lastDays, lastHours, daysAgo, before, after, on, "
                    + "between; " + shown(type) + " is not.");
        };
    }

    private static MembershipCriterion membership(JsonNode node, Place place) {
        object(node, place);
        only(node, place, "audience", "member");
        long audience = whole(required(node, place, "audience"), place.at("audience"), 1, Long.MAX_VALUE);
        JsonNode member = node.get("member");
        if (member != null && !member.isNull() && !member.isBoolean()) {
            throw fail(place.at("member"), "must be true (users in the audience) or false (users not in it).");
        }
        return new MembershipCriterion(audience, member == null || member.isNull() || member.booleanValue());
    }

    private static UserCriterion user(JsonNode node, Place place) {
        object(node, place);
        only(node, place, "field", "condition");
        UserField field = requiredEnum(node, place, "field", UserField.class);
        return new UserCriterion(field, condition(required(node, place, "condition"), place.at("condition")));
    }

    private static Condition condition(JsonNode node, Place place) {
        object(node, place);
        only(node, place, "attribute", "type", "operator", "values");
        List<String> values = new ArrayList<>();
        JsonNode list = node.get("values");
        if (list != null && !list.isNull()) {
            array(list, place.at("values"));
            for (int i = 0; i < list.size(); i++) {
                JsonNode value = list.get(i);
                if (!value.isValueNode() || value.isNull()) {
                    throw fail(place.at("values").index(i), "must be text, a number or true/false.");
                }
                values.add(value.asText());
            }
        }
        return new Condition(optionalText(node.get("attribute"), place.at("attribute")),
                requiredEnum(node, place, "type", DataType.class),
                requiredEnum(node, place, "operator", Operator.class), values);
    }

    private static int integer(JsonNode node, Place place, String field) {
        return (int) whole(required(node, place, field), place.at(field), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static LocalDate date(JsonNode node, Place place, String field) {
        JsonNode value = required(node, place, field);
        try {
            if (value.isTextual()) {
                return LocalDate.parse(value.asText());
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw fail(place.at(field), "must be a date like \"2026-11-29\"; " + shown(value) + " is not.");
    }

    private static JsonNode required(JsonNode node, Place place, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw fail(place.at(field), "is required.");
        }
        return value;
    }

    private static <E extends Enum<E>> E requiredEnum(JsonNode node, Place place, String field, Class<E> type) {
        return optionalEnum(required(node, place, field), place.at(field), type);
    }

    private static <E extends Enum<E>> E optionalEnum(JsonNode value, Place place, Class<E> type) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(value.asText())) {
                    return constant;
                }
            }
        }
        throw fail(place, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .collect(Collectors.joining(", ")) + "; " + shown(value) + " is not.");
    }

    private static String optionalText(JsonNode value, Place place) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw fail(place, "must be text; " + shown(value) + " is not.");
        }
        return value.asText();
    }

    private static long whole(JsonNode value, Place place, long min, long max) {
        if (!value.isIntegralNumber()) {
            throw fail(place, "must be a whole number; " + shown(value) + " is not.");
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw fail(place, min == 1 ? "must be an id above 0; " + shown(value) + " is not."
                    : shown(value) + " is out of range.");
        }
        return value.longValue();
    }

    private static void object(JsonNode node, Place place) {
        if (!node.isObject()) {
            throw fail(place, "must be a JSON object; " + shown(node) + " is not.");
        }
    }

    private static void array(JsonNode node, Place place) {
        if (!node.isArray()) {
            throw fail(place, "must be a JSON array; " + shown(node) + " is not.");
        }
    }

    /** Unknown fields are refused: a misspelt "frequncy" would otherwise silently mean the default. */
    private static void only(JsonNode node, Place place, String... fields) {
        Set<String> known = Set.of(fields);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw fail(place.at(shortened(name)), "is not a field here; use " + String.join(", ", fields) + ".");
            }
        }
    }

    private static List<String> present(JsonNode node, String... fields) {
        return Arrays.stream(fields).filter(field -> node.has(field) && !node.get(field).isNull()).toList();
    }

    /** A value as the message quotes it: short, so a huge value is not echoed back whole. */
    private static String shown(JsonNode value) {
        return shortened(value.toString());
    }

    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "…";
    }

    private static MalformedDefinitionException fail(Place place, String what) {
        String subject = place.part().isEmpty() ? (place.criterion().isEmpty() ? "The definition" : "The item")
                : place.part();
        return new MalformedDefinitionException(new Problem(place.criterion(), place.part(), subject + " " + what));
    }
}
