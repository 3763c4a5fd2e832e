package org.openaudience.criteria;

import static org.openaudience.criteria.StrictJson.array;
import static org.openaudience.criteria.StrictJson.date;
import static org.openaudience.criteria.StrictJson.fail;
import static org.openaudience.criteria.StrictJson.integer;
import static org.openaudience.criteria.StrictJson.object;
import static org.openaudience.criteria.StrictJson.only;
import static org.openaudience.criteria.StrictJson.optionalEnum;
import static org.openaudience.criteria.StrictJson.optionalText;
import static org.openaudience.criteria.StrictJson.present;
import static org.openaudience.criteria.StrictJson.required;
import static org.openaudience.criteria.StrictJson.requiredEnum;
import static org.openaudience.criteria.StrictJson.shown;
import static org.openaudience.criteria.StrictJson.whole;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.openaudience.criteria.StrictJson.Place;

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
}
