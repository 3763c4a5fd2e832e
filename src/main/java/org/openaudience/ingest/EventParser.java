package org.openaudience.ingest;

import static org.openaudience.ingest.FieldChecks.MAX_ATTRIBUTE_KEY;
import static org.openaudience.ingest.FieldChecks.MAX_ATTRIBUTE_VALUE;
import static org.openaudience.ingest.FieldChecks.MAX_CUSTOM_ATTRIBUTES;
import static org.openaudience.ingest.FieldChecks.MAX_EVENT_KEY;
import static org.openaudience.ingest.FieldChecks.MAX_PRODUCTS;
import static org.openaudience.ingest.FieldChecks.checkLength;
import static org.openaudience.ingest.FieldChecks.checkValue;
import static org.openaudience.ingest.FieldChecks.optionalObject;
import static org.openaudience.ingest.FieldChecks.optionalText;
import static org.openaudience.ingest.FieldChecks.requiredText;
import static org.openaudience.ingest.FieldChecks.timestamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one event of a batch: its type and key, its time, its custom attributes (plus commerce and other fields kept
 * as attributes) and its location. The changes that {@code user_attribute_change} and {@code user_identity_change}
 * events carry are read by {@link UserAttributeReader} and {@link IdentityReader}.
 */
final class EventParser {

    static final Set<String> CUSTOM_EVENT_TYPES = Set.of("navigation", "location", "search", "transaction",
            "user_content", "user_preference", "social", "media", "attribution", "other", "unknown");
    private static final Set<String> PRODUCT_ACTION_SCALARS = Set.of("action", "checkout_step", "checkout_options",
            "product_action_list", "product_list_source", "transaction_id", "affiliation", "total_amount",
            "tax_amount", "shipping_amount", "coupon_code");

    private EventParser() {
    }

    static IncomingEvent event(JsonNode node, String path, Instant batchTime, Instant now) {
        if (node == null || !node.isObject()) {
            throw new BadRequestException(path.substring(0, path.length() - 1) + " must be an event object.");
        }
        String typeName = optionalText((ObjectNode) node, "event_type", path);
        if (typeName == null || typeName.isBlank()) {
            throw new BadRequestException("Required event field \"" + path + "event_type\" is missing or empty.");
        }
        EventType type = EventType.fromWireName(typeName).orElseThrow(() ->
                new BadRequestException(path + "event_type \"" + typeName + "\" is not a known event type."));
        ObjectNode data = optionalObject((ObjectNode) node, "data", path);
        String dataPath = path + "data.";
        Instant time = timestamp(data, "timestamp_unixtime_ms", dataPath, batchTime, now);
        ObjectNode attributes = customAttributes(data, dataPath);
        String customEventType = null;
        IncomingEvent.AttributeChange attributeChange = null;
        IncomingEvent.IdentityChange identityChange = null;
        String key;
        switch (type) {
            case CUSTOM_EVENT -> {
                key = eventKey(data, "event_name", dataPath, "custom_event");
                customEventType = optionalText(data, "custom_event_type", dataPath);
                if (customEventType == null) {
                    customEventType = "other";
                } else if (!CUSTOM_EVENT_TYPES.contains(customEventType)) {
                    throw new BadRequestException(dataPath + "custom_event_type \"" + customEventType
                            + "\" is not one of " + new TreeSet<>(CUSTOM_EVENT_TYPES) + ".");
                }
            }
            case SCREEN_VIEW -> key = eventKey(data, "screen_name", dataPath, "screen_view");
            case COMMERCE_EVENT -> key = commerce(data, dataPath, attributes);
            case APPLICATION_STATE_TRANSITION -> {
                key = eventKey(data, "application_transition_type", dataPath, "application_state_transition");
                copyScalars(data, attributes, Set.of("is_first_run", "is_upgrade", "successfully_closed"), dataPath);
            }
            case BREADCRUMB -> {
                key = type.wireName();
                copyScalars(data, attributes, Set.of("label", "session_number"), dataPath);
            }
            case USER_ATTRIBUTE_CHANGE -> {
                key = type.wireName();
                attributeChange = UserAttributeReader.attributeChange(data, dataPath);
            }
            case USER_IDENTITY_CHANGE -> {
                key = type.wireName();
                identityChange = new IncomingEvent.IdentityChange(
                        IdentityReader.changedIdentity(data, "old", dataPath),
                        IdentityReader.changedIdentity(data, "new", dataPath));
            }
            default -> key = type.wireName();
        }
        Position position = position(data, dataPath);
        return new IncomingEvent(type, key, customEventType, time, attributes, data, position.latitude(),
                position.longitude(), attributeChange, identityChange);
    }

    /** Where an event happened; both coordinates null when it says nowhere. */
    private record Position(Double latitude, Double longitude) {
        static final Position NOWHERE = new Position(null, null);
    }

    private static Position position(ObjectNode data, String dataPath) {
        JsonNode location = data.get("location");
        if (location == null || location.isNull()) {
            return Position.NOWHERE;
        }
        if (!location.isObject()) {
            throw new BadRequestException(dataPath + "location must be an object with latitude and longitude.");
        }
        Double latitude = coordinate(location, "latitude", 90, dataPath + "location.");
        Double longitude = coordinate(location, "longitude", 180, dataPath + "location.");
        if (latitude == null || longitude == null) {
            // half a position is no position
            return Position.NOWHERE;
        }
        return new Position(latitude, longitude);
    }

    /** The event key from a required name field: trimmed, at most {@link FieldChecks#MAX_EVENT_KEY} characters. */
    private static String eventKey(ObjectNode data, String field, String path, String eventType) {
        String key = requiredText(data, field, path, eventType);
        checkLength(key, MAX_EVENT_KEY, path + field);
        return key;
    }

    private static Double coordinate(JsonNode location, String field, double limit, String path) {
        JsonNode value = location.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || Math.abs(value.asDouble()) > limit) {
            throw new BadRequestException(path + field + " must be a number from " + (int) -limit + " to "
                    + (int) limit + ".");
        }
        return value.asDouble();
    }

    /** Commerce events are named by their product action (e.g. purchase), promotion action or impressions. */
    private static String commerce(ObjectNode data, String path, ObjectNode attributes) {
        JsonNode productAction = data.get("product_action");
        if (productAction != null && productAction.isObject()) {
            String actionPath = path + "product_action.";
            String action = eventKey((ObjectNode) productAction, "action", actionPath, "commerce_event");
            copyScalars((ObjectNode) productAction, attributes, PRODUCT_ACTION_SCALARS, actionPath);
            attributes.remove("action");
            products(productAction.get("products"), actionPath + "products", attributes);
            return action;
        }
        JsonNode promotionAction = data.get("promotion_action");
        if (promotionAction != null && promotionAction.isObject()) {
            String field = path + "promotion_action.action";
            String key = "promotion_" + requiredText((ObjectNode) promotionAction, "action",
                    path + "promotion_action.", "commerce_event");
            if (key.codePointCount(0, key.length()) > MAX_EVENT_KEY) {
                throw new BadRequestException(field + " is " + (key.codePointCount(0, key.length()) - 10)
                        + " characters long; at most " + (MAX_EVENT_KEY - 10) + " are allowed (the event key "
                        + "\"promotion_\" + action holds at most " + MAX_EVENT_KEY + ").");
            }
            return key;
        }
        if (data.has("product_impressions")) {
            return "impression";
        }
        throw new BadRequestException(path + "product_action, promotion_action or product_impressions is required "
                + "for commerce_event.");
    }

    /** Each plain product field becomes the attribute {@code product.<field>}: a list, one entry per product. */
    private static void products(JsonNode products, String path, ObjectNode attributes) {
        if (products == null || products.isNull()) {
            return;
        }
        if (!products.isArray()) {
            throw new BadRequestException(path + " must be an array of products.");
        }
        if (products.size() > MAX_PRODUCTS) {
            throw new BadRequestException(path + " has " + products.size() + " products; at most " + MAX_PRODUCTS
                    + " are allowed.");
        }
        Map<String, ArrayNode> byField = new LinkedHashMap<>();
        for (int i = 0; i < products.size(); i++) {
            JsonNode product = products.get(i);
            String productPath = path + "[" + i + "]";
            if (!product.isObject()) {
                throw new BadRequestException(productPath + " must be a product object.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = product.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                    String name = "product." + field.getKey();
                    int length = name.codePointCount(0, name.length());
                    if (length > MAX_ATTRIBUTE_KEY) {
                        throw new BadRequestException(productPath + " has a field name of " + (length - 8)
                                + " characters; at most " + (MAX_ATTRIBUTE_KEY - 8) + " are allowed (stored as the "
                                + "attribute product.<name>, at most " + MAX_ATTRIBUTE_KEY + ").");
                    }
                    checkValue(field.getValue(), MAX_ATTRIBUTE_VALUE, productPath + "." + field.getKey());
                    byField.computeIfAbsent(name, k -> JsonNodeFactory.instance.arrayNode()).add(field.getValue());
                }
            }
        }
        byField.forEach(attributes::set);
    }

    /** Plain values of the event data that are also kept as attributes. */
    private static void copyScalars(ObjectNode from, ObjectNode to, Set<String> names, String path) {
        names.forEach(name -> {
            JsonNode value = from.get(name);
            if (value != null && value.isValueNode() && !value.isNull()) {
                checkValue(value, MAX_ATTRIBUTE_VALUE, path + name);
                to.set(name, value);
            }
        });
    }

    private static ObjectNode customAttributes(ObjectNode data, String path) {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        JsonNode custom = data.get("custom_attributes");
        if (custom == null || custom.isNull()) {
            return attributes;
        }
        if (!custom.isObject()) {
            throw new BadRequestException(path + "custom_attributes must be an object.");
        }
        if (custom.size() > MAX_CUSTOM_ATTRIBUTES) {
            throw new BadRequestException(path + "custom_attributes has " + custom.size() + " entries; at most "
                    + MAX_CUSTOM_ATTRIBUTES + " are allowed.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = custom.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            int keyLength = field.getKey().codePointCount(0, field.getKey().length());
            if (keyLength > MAX_ATTRIBUTE_KEY) {
                throw new BadRequestException(path + "custom_attributes has a key of " + keyLength
                        + " characters; at most " + MAX_ATTRIBUTE_KEY + " are allowed.");
            }
            JsonNode value = field.getValue();
            checkValue(value, MAX_ATTRIBUTE_VALUE, path + "custom_attributes." + field.getKey());
            if (!value.isNull()) {
                attributes.set(field.getKey(), value);
            }
        }
        return attributes;
    }
}
