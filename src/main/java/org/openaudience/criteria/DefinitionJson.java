package org.openaudience.criteria;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The stored form of a definition: explicit JSON with a schema version, written by hand so the format stays stable
 * when the Java model is refactored. Reading a newer schema version than this code knows is refused; reading is
 * strict (see {@link DefinitionReader}).
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

    /** A stored definition (or one sent to the REST API as text). */
    public static Definition read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An audience definition is not valid JSON", e);
        }
        if (root == null) {
            throw new IllegalArgumentException("An audience definition is empty");
        }
        return read(root);
    }

    /**
     * A definition in its JSON form, read strictly.
     *
     * @throws MalformedDefinitionException naming the criterion and field that has the wrong shape
     */
    public static Definition read(JsonNode json) {
        return DefinitionReader.read(json);
    }

    /** The JSON form as a tree, e.g. to embed in a REST API answer. */
    public static JsonNode tree(Definition definition) {
        try {
            return JSON.readTree(write(definition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A written definition is always JSON", e);
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
}
