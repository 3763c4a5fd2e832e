package org.openaudience.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openaudience.profile.IdentityRule;
import org.springframework.stereotype.Component;

/**
 * Reads and validates mParticle v2 batches. Every problem is a {@link BadRequestException} naming the field, so a
 * request is either wholly valid or refused before anything is written. Unknown fields are allowed; they stay in
 * each batch's raw JSON.
 */
@Component
public class BatchParser {

    public static final int MAX_BATCHES_PER_BULK = 100;
    static final int MAX_CUSTOM_ATTRIBUTES = 100;
    static final int MAX_ATTRIBUTE_KEY = 256;
    static final int MAX_ATTRIBUTE_VALUE = 4096;

    static final Set<String> CUSTOM_EVENT_TYPES = Set.of("navigation", "location", "search", "transaction",
            "user_content", "user_preference", "social", "media", "attribution", "other", "unknown");
    /** Batch-level user identities. */
    static final Set<String> USER_IDENTITY_TYPES = Set.of("customer_id", "email", "other", "other_id_2",
            "other_id_3", "other_id_4", "other_id_5", "other_id_6", "other_id_7", "other_id_8", "other_id_9",
            "other_id_10", "mobile_number", "phone_number_2", "phone_number_3", "facebook",
            "facebook_custom_audience_id", "google", "twitter", "microsoft", "yahoo");
    /** Device ids inside {@code device_info} that also identify a user. */
    static final List<String> DEVICE_ID_FIELDS = List.of("ios_idfv", "ios_advertising_id", "android_uuid",
            "android_advertising_id", "roku_advertising_id", "roku_publisher_id", "fire_advertising_id",
            "microsoft_advertising_id", "microsoft_publisher_id");
    /** mParticle's own SDKs write some identity types without the underscore; they mean the same. */
    static final Map<String, String> IDENTITY_ALIASES = Map.of("customerid", "customer_id");
    private static final Set<String> ENVIRONMENTS = Set.of("development", "production");
    private static final Set<String> PRODUCT_ACTION_SCALARS = Set.of("action", "checkout_step", "checkout_options",
            "product_action_list", "product_list_source", "transaction_id", "affiliation", "total_amount",
            "tax_amount", "shipping_amount", "coupon_code");

    private final ObjectMapper json;

    public BatchParser(ObjectMapper json) {
        this.json = json;
    }

    /** The body of {@code POST /v2/events}: one batch object. */
    public List<IncomingBatch> parseSingle(byte[] body, String defaultPlatform, Instant now) {
        JsonNode root = read(body);
        if (!root.isObject()) {
            throw new BadRequestException("The request body must be a JSON object (one batch).");
        }
        return List.of(batch((ObjectNode) root, "", defaultPlatform, now));
    }

    /** The body of {@code POST /v2/bulkevents}: an array of up to 100 batch objects. */
    public List<IncomingBatch> parseBulk(byte[] body, String defaultPlatform, Instant now) {
        JsonNode root = read(body);
        if (!root.isArray()) {
            throw new BadRequestException("The request body must be a JSON array of batches.");
        }
        if (root.size() > MAX_BATCHES_PER_BULK) {
            throw new BadRequestException("A bulk request holds at most " + MAX_BATCHES_PER_BULK + " batches; this one has "
                    + root.size() + ".");
        }
        List<IncomingBatch> batches = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            if (!node.isObject()) {
                throw new BadRequestException("[" + i + "] must be a batch object.");
            }
            batches.add(batch((ObjectNode) node, "[" + i + "].", defaultPlatform, now));
        }
        return batches;
    }

    private JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw new BadRequestException("The request body is empty.");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            // the parser's own message names the problem; its location details are internal noise
            String reason = e.getOriginalMessage().split("\n")[0].replaceAll("\\s*\\(start marker at .*$", "")
                    .replaceAll("\\s*at \\[Source.*$", "");
            throw new BadRequestException("Malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + reason);
        } catch (IOException e) {
            throw new BadRequestException("The request body could not be read as JSON: " + e.getMessage());
        }
    }

    private IncomingBatch batch(ObjectNode node, String path, String defaultPlatform, Instant now) {
        String environment = optionalText(node, "environment", path);
        if (environment == null) {
            environment = "production";
        } else if (!ENVIRONMENTS.contains(environment)) {
            throw new BadRequestException(path + "environment must be \"development\" or \"production\".");
        }
        Instant batchTime = timestamp(node, "timestamp_unixtime_ms", path, now);
        ObjectNode deviceInfo = optionalObject(node, "device_info", path);
        String platform = deviceInfo.hasNonNull("platform") ? deviceInfo.get("platform").asText() : defaultPlatform;
        Map<String, String> identities = identities(node, deviceInfo, path);
        List<IncomingEvent> events = new ArrayList<>();
        JsonNode eventsNode = node.get("events");
        if (eventsNode != null && !eventsNode.isNull()) {
            if (!eventsNode.isArray()) {
                throw new BadRequestException(path + "events must be an array.");
            }
            for (int i = 0; i < eventsNode.size(); i++) {
                events.add(event(eventsNode.get(i), path + "events[" + i + "].", batchTime));
            }
        }
        return new IncomingBatch(node.toString(), mpid(node, path), optionalText(node, "source_request_id", path),
                environment, batchTime, identities, userAttributes(node, path), deletedAttributes(node, path),
                deviceInfo, platform, events);
    }

    private IncomingEvent event(JsonNode node, String path, Instant batchTime) {
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
        Instant time = timestamp(data, "timestamp_unixtime_ms", dataPath, batchTime);
        ObjectNode attributes = customAttributes(data, dataPath);
        String customEventType = null;
        String key;
        switch (type) {
            case CUSTOM_EVENT -> {
                key = requiredText(data, "event_name", dataPath, "custom_event");
                customEventType = optionalText(data, "custom_event_type", dataPath);
                if (customEventType == null) {
                    customEventType = "other";
                } else if (!CUSTOM_EVENT_TYPES.contains(customEventType)) {
                    throw new BadRequestException(dataPath + "custom_event_type \"" + customEventType
                            + "\" is not one of " + new java.util.TreeSet<>(CUSTOM_EVENT_TYPES) + ".");
                }
            }
            case SCREEN_VIEW -> key = requiredText(data, "screen_name", dataPath, "screen_view");
            case COMMERCE_EVENT -> key = commerce(data, dataPath, attributes);
            case APPLICATION_STATE_TRANSITION -> {
                key = requiredText(data, "application_transition_type", dataPath, "application_state_transition");
                copyScalars(data, attributes, Set.of("is_first_run", "is_upgrade", "successfully_closed"));
            }
            case BREADCRUMB -> {
                key = type.wireName();
                copyScalars(data, attributes, Set.of("label", "session_number"));
            }
            default -> key = type.wireName();
        }
        if (key.length() > 255) {
            throw new BadRequestException(dataPath + " name is longer than 255 characters.");
        }
        Double latitude = null;
        Double longitude = null;
        JsonNode location = data.get("location");
        if (location != null && location.isObject() && location.hasNonNull("latitude")
                && location.hasNonNull("longitude")) {
            latitude = location.get("latitude").asDouble();
            longitude = location.get("longitude").asDouble();
        }
        return new IncomingEvent(type, key, customEventType, time, attributes, data, latitude, longitude);
    }

    /** Commerce events are named by their product action (e.g. purchase), promotion action or impressions. */
    private String commerce(ObjectNode data, String path, ObjectNode attributes) {
        JsonNode productAction = data.get("product_action");
        if (productAction != null && productAction.isObject()) {
            String action = requiredText((ObjectNode) productAction, "action", path + "product_action.",
                    "commerce_event");
            copyScalars((ObjectNode) productAction, attributes, PRODUCT_ACTION_SCALARS);
            attributes.remove("action");
            JsonNode products = productAction.get("products");
            if (products != null && products.isArray()) {
                Map<String, ArrayNode> byField = new LinkedHashMap<>();
                for (JsonNode product : products) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = product.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = it.next();
                        if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                            byField.computeIfAbsent("product." + field.getKey(),
                                    k -> JsonNodeFactory.instance.arrayNode()).add(field.getValue());
                        }
                    }
                }
                byField.forEach(attributes::set);
            }
            return action;
        }
        JsonNode promotionAction = data.get("promotion_action");
        if (promotionAction != null && promotionAction.isObject()) {
            return "promotion_" + requiredText((ObjectNode) promotionAction, "action", path + "promotion_action.",
                    "commerce_event");
        }
        if (data.has("product_impressions")) {
            return "impression";
        }
        throw new BadRequestException(path + "product_action, promotion_action or product_impressions is required "
                + "for commerce_event.");
    }

    private static void copyScalars(ObjectNode from, ObjectNode to, Set<String> names) {
        names.forEach(name -> {
            JsonNode value = from.get(name);
            if (value != null && value.isValueNode() && !value.isNull()) {
                to.set(name, value);
            }
        });
    }

    private ObjectNode customAttributes(ObjectNode data, String path) {
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
            if (field.getKey().length() > MAX_ATTRIBUTE_KEY) {
                throw new BadRequestException(path + "custom_attributes has a key longer than " + MAX_ATTRIBUTE_KEY
                        + " characters.");
            }
            JsonNode value = field.getValue();
            String text = value.isTextual() ? value.asText() : value.toString();
            if (text.length() > MAX_ATTRIBUTE_VALUE) {
                throw new BadRequestException(path + "custom_attributes." + field.getKey() + " is longer than "
                        + MAX_ATTRIBUTE_VALUE + " characters.");
            }
            if (!value.isNull()) {
                attributes.set(field.getKey(), value);
            }
        }
        return attributes;
    }

    private Map<String, String> identities(ObjectNode batch, ObjectNode deviceInfo, String path) {
        Map<String, String> identities = new LinkedHashMap<>();
        JsonNode userIdentities = batch.get("user_identities");
        if (userIdentities != null && !userIdentities.isNull()) {
            if (!userIdentities.isObject()) {
                throw new BadRequestException(path + "user_identities must be an object.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = userIdentities.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isNull() && !field.getValue().asText().isBlank()) {
                    if (!field.getValue().isValueNode()) {
                        throw new BadRequestException(path + "user_identities." + field.getKey()
                                + " must be a string.");
                    }
                    String type = IDENTITY_ALIASES.getOrDefault(field.getKey(), field.getKey());
                    identities.put(type, normalizeIdentity(type, field.getValue().asText()));
                }
            }
        }
        String deviceId = optionalText(batch, "mp_deviceid", path);
        if (!IdentityRule.isBlank(deviceId)) {
            identities.put("mp_deviceid", IdentityRule.normalize("mp_deviceid", deviceId));
        }
        for (String field : DEVICE_ID_FIELDS) {
            JsonNode value = deviceInfo.get(field);
            if (value != null && value.isValueNode() && !value.isNull() && !value.asText().isBlank()) {
                identities.put(field, IdentityRule.normalize(field, value.asText()));
            }
        }
        return identities;
    }

    /** The identity as stored and compared ({@link IdentityRule}). */
    static String normalizeIdentity(String type, String value) {
        return IdentityRule.normalize(type, value);
    }

    private ObjectNode userAttributes(ObjectNode batch, String path) {
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
            JsonNode value = field.getValue();
            if (field.getKey().length() > MAX_ATTRIBUTE_KEY) {
                throw new BadRequestException(path + "user_attributes has a key longer than " + MAX_ATTRIBUTE_KEY
                        + " characters.");
            }
            if (value.isObject()) {
                throw new BadRequestException(path + "user_attributes." + field.getKey()
                        + " must be a string, number, boolean or list.");
            }
            if (!value.isNull()) {
                clean.set(field.getKey(), value);
            }
        }
        return clean;
    }

    private List<String> deletedAttributes(ObjectNode batch, String path) {
        JsonNode deleted = batch.get("deleted_user_attributes");
        if (deleted == null || deleted.isNull()) {
            return List.of();
        }
        if (!deleted.isArray()) {
            throw new BadRequestException(path + "deleted_user_attributes must be an array of names.");
        }
        List<String> names = new ArrayList<>();
        deleted.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static Long mpid(ObjectNode batch, String path) {
        JsonNode mpid = batch.get("mpid");
        if (mpid == null || mpid.isNull()) {
            return null;
        }
        if (mpid.isIntegralNumber() && mpid.canConvertToLong()) {
            return mpid.asLong();
        }
        if (mpid.isTextual()) {
            try {
                return Long.parseLong(mpid.asText().trim());
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new BadRequestException(path + "mpid must be a 64-bit integer.");
    }

    private static Instant timestamp(ObjectNode node, String field, String path, Instant fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        long millis;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            millis = value.asLong();
        } else if (value.isTextual()) {
            millis = parseMillis(value.asText(), path + field);
        } else {
            throw new BadRequestException(path + field + " must be milliseconds since the epoch.");
        }
        return millis <= 0 ? fallback : Instant.ofEpochMilli(millis);
    }

    private static long parseMillis(String text, String field) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(field + " must be milliseconds since the epoch.");
        }
    }

    private static String optionalText(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new BadRequestException(path + field + " must be a string.");
        }
        return value.asText();
    }

    private static String requiredText(ObjectNode node, String field, String path, String eventType) {
        String value = optionalText(node, field, path);
        if (value == null || value.isBlank()) {
            throw new BadRequestException("Required field \"" + path + field + "\" is missing or empty for "
                    + eventType + ".");
        }
        return value.trim();
    }

    private static ObjectNode optionalObject(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!value.isObject()) {
            throw new BadRequestException(path + field + " must be an object.");
        }
        return (ObjectNode) value;
    }
}
