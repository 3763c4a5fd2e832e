package org.openaudience.criteria;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The stored form of a definition: explicit JSON with a schema version, written by hand so the format stays stable
 * when the Java model is refactored. Reading a newer schema version than this code knows is refused.
 */
public final class DefinitionJson {

    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DefinitionJson() {
    }

    public static String write(Definition definition) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        ArrayNode inputs = root.putArray("inputs");
        definition.inputIds().stream().sorted().forEach(inputs::add);
        root.set("root", group(definition.root()));
        return root.toString();
    }

    public static Definition read(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            int version = root.path("schemaVersion").asInt(0);
            if (version < 1 || version > SCHEMA_VERSION) {
                throw new IllegalArgumentException("Unsupported audience definition schema version " + version);
            }
            Set<Long> inputs = new LinkedHashSet<>();
            root.path("inputs").forEach(id -> inputs.add(id.asLong()));
            return new Definition(readGroup(root.get("root")), inputs);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An audience definition is not valid JSON", e);
        }
    }

    private static ObjectNode group(Group group) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode items = node.putArray("items");
        for (Group.Item item : group.items()) {
            ObjectNode written = items.addObject();
            written.put("connector", item.connector() == null ? null : item.connector().name());
            if (item.node() instanceof Group inner) {
                written.set("group", group(inner));
            } else if (item.node() instanceof EventCriterion event) {
                written.set("event", event(event));
            } else if (item.node() instanceof MembershipCriterion membership) {
                ObjectNode criterion = written.putObject("membership");
                criterion.put("audience", membership.audienceId());
                criterion.put("member", membership.member());
            } else {
                UserCriterion user = (UserCriterion) item.node();
                ObjectNode criterion = written.putObject("user");
                criterion.put("field", user.field().name());
                criterion.set("condition", condition(user.condition()));
            }
        }
        return node;
    }

    private static ObjectNode event(EventCriterion criterion) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", criterion.kind().name());
        node.put("name", criterion.name());
        node.put("customEventType", criterion.customEventType());
        ArrayNode conditions = node.putArray("conditions");
        criterion.conditions().forEach(condition -> conditions.add(condition(condition)));
        ObjectNode frequency = node.putObject("frequency");
        frequency.put("comparison", criterion.frequency().comparison().name());
        frequency.put("count", criterion.frequency().count());
        frequency.put("max", criterion.frequency().max());
        node.set("window", window(criterion.window()));
        return node;
    }

    private static ObjectNode condition(Condition condition) {
        ObjectNode node = JSON.createObjectNode();
        node.put("attribute", condition.attribute());
        node.put("type", condition.type().name());
        node.put("operator", condition.operator().name());
        ArrayNode values = node.putArray("values");
        condition.values().forEach(values::add);
        return node;
    }

    private static ObjectNode window(Window window) {
        ObjectNode node = JSON.createObjectNode();
        if (window instanceof Window.LastDays days) {
            node.put("type", "lastDays").put("days", days.days());
        } else if (window instanceof Window.LastHours hours) {
            node.put("type", "lastHours").put("hours", hours.hours());
        } else if (window instanceof Window.DaysAgo ago) {
            node.put("type", "daysAgo").put("newest", ago.newest()).put("oldest", ago.oldest());
        } else if (window instanceof Window.Before before) {
            node.put("type", "before").put("date", before.date().toString());
        } else if (window instanceof Window.After after) {
            node.put("type", "after").put("date", after.date().toString());
        } else if (window instanceof Window.On on) {
            node.put("type", "on").put("date", on.date().toString());
        } else {
            Window.Between between = (Window.Between) window;
            node.put("type", "between").put("first", between.first().toString())
                    .put("last", between.last().toString());
        }
        return node;
    }

    private static Group readGroup(JsonNode node) {
        List<Group.Item> items = new ArrayList<>();
        for (JsonNode item : node.path("items")) {
            Connector connector = item.path("connector").isTextual()
                    ? Connector.valueOf(item.get("connector").asText()) : null;
            Node child;
            if (item.has("group")) {
                child = readGroup(item.get("group"));
            } else if (item.has("event")) {
                child = readEvent(item.get("event"));
            } else if (item.has("membership")) {
                JsonNode membership = item.get("membership");
                child = new MembershipCriterion(membership.get("audience").asLong(),
                        membership.path("member").asBoolean(true));
            } else {
                JsonNode user = item.get("user");
                child = new UserCriterion(UserField.valueOf(user.get("field").asText()),
                        readCondition(user.get("condition")));
            }
            items.add(new Group.Item(connector, child));
        }
        return new Group(items);
    }

    private static EventCriterion readEvent(JsonNode node) {
        List<Condition> conditions = new ArrayList<>();
        node.path("conditions").forEach(condition -> conditions.add(readCondition(condition)));
        JsonNode frequency = node.get("frequency");
        return new EventCriterion(EventKind.valueOf(node.get("kind").asText()), text(node, "name"),
                text(node, "customEventType"), conditions,
                new Frequency(Frequency.Comparison.valueOf(frequency.get("comparison").asText()),
                        frequency.get("count").asLong(), frequency.get("max").asLong()),
                readWindow(node.get("window")));
    }

    private static Condition readCondition(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.path("values").forEach(value -> values.add(value.asText()));
        return new Condition(text(node, "attribute"), DataType.valueOf(node.get("type").asText()),
                Operator.valueOf(node.get("operator").asText()), values);
    }

    private static Window readWindow(JsonNode node) {
        return switch (node.get("type").asText()) {
            case "lastDays" -> new Window.LastDays(node.get("days").asInt());
            case "lastHours" -> new Window.LastHours(node.get("hours").asInt());
            case "daysAgo" -> new Window.DaysAgo(node.get("newest").asInt(), node.get("oldest").asInt());
            case "before" -> new Window.Before(LocalDate.parse(node.get("date").asText()));
            case "after" -> new Window.After(LocalDate.parse(node.get("date").asText()));
            case "on" -> new Window.On(LocalDate.parse(node.get("date").asText()));
            case "between" -> new Window.Between(LocalDate.parse(node.get("first").asText()),
                    LocalDate.parse(node.get("last").asText()));
            default -> throw new IllegalArgumentException("Unknown window type " + node.get("type").asText());
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
