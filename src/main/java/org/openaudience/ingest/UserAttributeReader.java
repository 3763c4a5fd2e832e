package org.openaudience.ingest;

import static org.openaudience.ingest.FieldChecks.MAX_ATTRIBUTE_KEY;
import static org.openaudience.ingest.FieldChecks.MAX_ATTRIBUTE_VALUE;
import static org.openaudience.ingest.FieldChecks.MAX_LIST_ENTRIES;
import static org.openaudience.ingest.FieldChecks.MAX_PLACE;
import static org.openaudience.ingest.FieldChecks.checkValue;
import static org.openaudience.ingest.FieldChecks.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a batch sets and deletes of a user's attributes: {@code user_attributes},
 * {@code deleted_user_attributes} and {@code user_attribute_change} events.
 */
final class UserAttributeReader {

    /** Reserved user attributes that also fill the profile's {@code country}, {@code region}, {@code city}. */
    static final Set<String> PLACE_ATTRIBUTES = Set.of("$country", "$state", "$city");

    private UserAttributeReader() {
    }

    static ObjectNode userAttributes(ObjectNode batch, String path) {
        JsonNode attributes = batch.get("user_attributes");
        if (attributes == null || attributes.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!attributes.isObject()) {
            throw new BadRequestException(path + "user_attributes must be an object.");
        }
        ObjectNode clean = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            checkAttributeName(field.getKey(), path + "user_attributes");
            JsonNode value = field.getValue();
            if (!value.isNull()) {
                checkUserAttributeValue(field.getKey(), value, path + "user_attributes." + field.getKey());
                clean.set(field.getKey(), value);
            }
        }
        return clean;
    }

    static List<String> deletedAttributes(ObjectNode batch, String path) {
        JsonNode deleted = batch.get("deleted_user_attributes");
        if (deleted == null || deleted.isNull()) {
            return List.of();
        }
        if (!deleted.isArray()) {
            throw new BadRequestException(path + "deleted_user_attributes must be an array of names.");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < deleted.size(); i++) {
            String field = path + "deleted_user_attributes[" + i + "]";
            if (!deleted.get(i).isTextual()) {
                throw new BadRequestException(field + " must be an attribute name (a string).");
            }
            checkAttributeName(deleted.get(i).asText(), field);
            names.add(deleted.get(i).asText());
        }
        return names;
    }

    /** A {@code user_attribute_change} event: a new value, or a deletion ({@code deleted}, or no new value). */
    static IncomingEvent.AttributeChange attributeChange(ObjectNode data, String path) {
        String name = optionalText(data, "user_attribute_name", path);
        if (name == null || name.isBlank()) {
            throw new BadRequestException("Required field \"" + path + "user_attribute_name\" is missing or empty "
                    + "for user_attribute_change.");
        }
        checkAttributeName(name, path + "user_attribute_name");
        JsonNode newValue = data.get("new");
        if (data.path("deleted").asBoolean(false) || newValue == null || newValue.isNull()) {
            return new IncomingEvent.AttributeChange(name, NullNode.getInstance());
        }
        checkUserAttributeValue(name, newValue, path + "new");
        return new IncomingEvent.AttributeChange(name, newValue);
    }

    private static void checkAttributeName(String name, String field) {
        if (name.isBlank()) {
            throw new BadRequestException(field + " has an empty attribute name.");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_ATTRIBUTE_KEY) {
            throw new BadRequestException(field + " has an attribute name of " + length + " characters; at most "
                    + MAX_ATTRIBUTE_KEY + " are allowed.");
        }
    }

    /** A user attribute is a plain value or a flat list of plain values, as audience criteria compare them. */
    private static void checkUserAttributeValue(String name, JsonNode value, String field) {
        if (value.isArray()) {
            if (value.size() > MAX_LIST_ENTRIES) {
                throw new BadRequestException(field + " has " + value.size() + " entries; at most "
                        + MAX_LIST_ENTRIES + " are allowed.");
            }
            for (int i = 0; i < value.size(); i++) {
                JsonNode entry = value.get(i);
                if (!isPlainValue(entry)) {
                    throw new BadRequestException(field + "[" + i + "] must be a string, number or boolean.");
                }
                checkValue(entry, MAX_ATTRIBUTE_VALUE, field + "[" + i + "]");
            }
            return;
        }
        if (!isPlainValue(value)) {
            throw new BadRequestException(field + " must be a string, number, boolean or list of those.");
        }
        checkValue(value, PLACE_ATTRIBUTES.contains(name) ? MAX_PLACE : MAX_ATTRIBUTE_VALUE, field);
    }

    private static boolean isPlainValue(JsonNode value) {
        return value.isTextual() || value.isNumber() || value.isBoolean();
    }
}
