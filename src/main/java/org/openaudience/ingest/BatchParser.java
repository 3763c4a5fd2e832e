package org.openaudience.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openaudience.profile.Identity;
import org.openaudience.profile.IdentityRule;
import org.springframework.stereotype.Component;

/**
 * Reads and validates mParticle v2 batches. Every problem is a {@link BadRequestException} naming the field, so a
 * request is either wholly valid or refused before anything is written. Unknown fields are allowed; they stay in
 * each batch's raw JSON.
 *
 * <p>Every value that reaches a column has a checked limit no larger than the column's, so a valid request never
 * fails in MariaDB. Lengths are characters (Unicode code points), as MariaDB counts them in utf8mb4 columns.
 */
@Component
public class BatchParser {

    public static final int MAX_BATCHES_PER_BULK = 100;
    /**
     * The deepest nesting of objects and arrays in a request body. MariaDB's JSON columns hold at most 31 levels;
     * what a request stores in them (an event's data, its attributes) is a part of the body, at least one level less
     * deep than the body itself.
     */
    static final int MAX_NESTING_DEPTH = 32;
    static final int MAX_CUSTOM_ATTRIBUTES = 100;
    /** Attribute names, as {@code catalog_attribute.name} holds them. */
    static final int MAX_ATTRIBUTE_KEY = 256;
    static final int MAX_ATTRIBUTE_VALUE = 4096;
    /** Entries of a list-valued user attribute. */
    static final int MAX_LIST_ENTRIES = 1000;
    /** Products of one product action; each product field becomes a list attribute with one entry per product. */
    static final int MAX_PRODUCTS = 1000;
    /** {@code event.event_key}. */
    static final int MAX_EVENT_KEY = 255;
    /** {@code ingest_batch.source_request_id}. */
    static final int MAX_SOURCE_REQUEST_ID = 100;
    /** {@code event.platform}. */
    static final int MAX_PLATFORM = 30;
    /** Reserved user attributes that also fill the profile's {@code country}, {@code region}, {@code city}. */
    static final Set<String> PLACE_ATTRIBUTES = Set.of("$country", "$state", "$city");
    static final int MAX_PLACE = 100;
    /** Earlier times are clock errors of a device (or a 0 date), not events worth keeping. */
    static final Instant EARLIEST_TIME = Instant.parse("2000-01-01T00:00:00Z");
    /** Device clocks run ahead; further ahead is an error, and a far-future row would outlive retention. */
    static final Duration LATEST_AHEAD = Duration.ofHours(24);

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
    /** What a {@code user_identity_change} event may change: user identities and device ids. */
    private static final Set<String> CHANGEABLE_IDENTITY_TYPES = Stream.of(USER_IDENTITY_TYPES.stream(),
            DEVICE_ID_FIELDS.stream(), Stream.of("mp_deviceid")).flatMap(s -> s).collect(Collectors.toSet());
    private static final Set<String> ENVIRONMENTS = Set.of("development", "production");
    private static final Set<String> PRODUCT_ACTION_SCALARS = Set.of("action", "checkout_step", "checkout_options",
            "product_action_list", "product_list_source", "transaction_id", "affiliation", "total_amount",
            "tax_amount", "shipping_amount", "coupon_code");

    private final ObjectMapper json;

    public BatchParser(ObjectMapper json) {
        // a copy: the nesting limit and the trailing-content check are this API's, not the application's
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH).build());
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
            JsonNode root = json.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new BadRequestException("The request body is empty.");
            }
            return root;
        } catch (StreamConstraintsException e) {
            if (String.valueOf(e.getOriginalMessage()).contains("nesting depth")) {
                throw new BadRequestException("The request body is nested more than " + MAX_NESTING_DEPTH
                        + " levels deep (objects and arrays within one another).");
            }
            throw new BadRequestException("The request body is over a JSON limit: " + reason(e));
        } catch (JsonProcessingException e) {
            String reason = reason(e).startsWith("Trailing token")
                    ? "more content after the end of the JSON body" : reason(e);
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new BadRequestException("Malformed JSON" + where + ": " + reason);
        } catch (IOException e) {
            throw new BadRequestException("The request body could not be read as JSON: " + e.getMessage());
        }
    }

    /** The parser's own message names the problem; its location details and class names are internal noise. */
    private static String reason(JsonProcessingException e) {
        return e.getOriginalMessage().split("\n")[0].replaceAll("\\s*\\(start marker at .*$", "")
                .replaceAll("\\s*at \\[Source.*$", "");
    }

    private IncomingBatch batch(ObjectNode node, String path, String defaultPlatform, Instant now) {
        String environment = optionalText(node, "environment", path);
        if (environment == null) {
            environment = "production";
        } else if (!ENVIRONMENTS.contains(environment)) {
            throw new BadRequestException(path + "environment must be \"development\" or \"production\".");
        }
        Instant batchTime = timestamp(node, "timestamp_unixtime_ms", path, now, now);
        String sourceRequestId = optionalText(node, "source_request_id", path);
        if (sourceRequestId != null && sourceRequestId.isEmpty()) {
            // an empty id names no request: deduplicating on it would drop every later batch that sends one
            sourceRequestId = null;
        }
        if (sourceRequestId != null) {
            checkLength(sourceRequestId, MAX_SOURCE_REQUEST_ID, path + "source_request_id");
        }
        ObjectNode deviceInfo = deviceInfo(node, path);
        String platform = deviceInfo.hasNonNull("platform") ? deviceInfo.get("platform").asText() : defaultPlatform;
        Map<String, String> identities = identities(node, deviceInfo, path);
        List<IncomingEvent> events = new ArrayList<>();
        JsonNode eventsNode = node.get("events");
        if (eventsNode != null && !eventsNode.isNull()) {
            if (!eventsNode.isArray()) {
                throw new BadRequestException(path + "events must be an array.");
            }
            for (int i = 0; i < eventsNode.size(); i++) {
                events.add(event(eventsNode.get(i), path + "events[" + i + "].", batchTime, now));
            }
        }
        return new IncomingBatch(node.toString(), mpid(node, path), sourceRequestId, environment, batchTime,
                identities, userAttributes(node, path), deletedAttributes(node, path), deviceInfo, platform, events);
    }

    /** Device info is a flat object: the profile keeps it as one JSON object of plain values. */
    private static ObjectNode deviceInfo(ObjectNode batch, String path) {
        ObjectNode deviceInfo = optionalObject(batch, "device_info", path);
        for (Iterator<Map.Entry<String, JsonNode>> it = deviceInfo.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + "device_info." + field.getKey();
            if (!field.getValue().isValueNode()) {
                throw new BadRequestException(fieldPath + " must be a string, number, boolean or null.");
            }
            // device ids are identities, checked with their own limit in identities()
            if (!DEVICE_ID_FIELDS.contains(field.getKey())) {
                checkLength(field.getValue().asText(), "platform".equals(field.getKey()) ? MAX_PLATFORM
                        : MAX_ATTRIBUTE_VALUE, fieldPath);
            }
        }
        return deviceInfo;
    }

    private IncomingEvent event(JsonNode node, String path, Instant batchTime, Instant now) {
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
                attributeChange = attributeChange(data, dataPath);
            }
            case USER_IDENTITY_CHANGE -> {
                key = type.wireName();
                identityChange = new IncomingEvent.IdentityChange(changedIdentity(data, "old", dataPath),
                        changedIdentity(data, "new", dataPath));
            }
            default -> key = type.wireName();
        }
        Double latitude = null;
        Double longitude = null;
        JsonNode location = data.get("location");
        if (location != null && !location.isNull()) {
            if (!location.isObject()) {
                throw new BadRequestException(dataPath + "location must be an object with latitude and longitude.");
            }
            latitude = coordinate(location, "latitude", 90, dataPath + "location.");
            longitude = coordinate(location, "longitude", 180, dataPath + "location.");
            if (latitude == null || longitude == null) {
                // half a position is no position
                latitude = null;
                longitude = null;
            }
        }
        return new IncomingEvent(type, key, customEventType, time, attributes, data, latitude, longitude,
                attributeChange, identityChange);
    }

    /** The event key from a required name field: trimmed, at most {@link #MAX_EVENT_KEY} characters. */
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
    private String commerce(ObjectNode data, String path, ObjectNode attributes) {
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

    private Map<String, String> identities(ObjectNode batch, ObjectNode deviceInfo, String path) {
        Map<String, String> identities = new LinkedHashMap<>();
        JsonNode userIdentities = batch.get("user_identities");
        if (userIdentities != null && !userIdentities.isNull()) {
            if (!userIdentities.isObject()) {
                throw new BadRequestException(path + "user_identities must be an object.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = userIdentities.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String fieldPath = path + "user_identities." + field.getKey();
                String type = IDENTITY_ALIASES.getOrDefault(field.getKey(), field.getKey());
                if (!USER_IDENTITY_TYPES.contains(type)) {
                    throw new BadRequestException(fieldPath + " is not a known identity type; known types are "
                            + knownTypes(USER_IDENTITY_TYPES) + ".");
                }
                String value = identityValue(field.getValue(), type, fieldPath);
                if (value != null) {
                    identities.put(type, value);
                }
            }
        }
        String deviceId = identityValue(batch.get("mp_deviceid"), "mp_deviceid", path + "mp_deviceid");
        if (deviceId != null) {
            identities.put("mp_deviceid", deviceId);
        }
        for (String field : DEVICE_ID_FIELDS) {
            String value = identityValue(deviceInfo.get(field), field, path + "device_info." + field);
            if (value != null) {
                identities.put(field, value);
            }
        }
        return identities;
    }

    /**
     * One side ({@code old} or {@code new}) of a {@code user_identity_change} event: the identity it names, or null
     * when it names none (absent, or no identity value, as when an identity is removed).
     */
    private static Identity changedIdentity(ObjectNode data, String side, String path) {
        JsonNode node = data.get(side);
        if (node == null || node.isNull()) {
            return null;
        }
        String sidePath = path + side + ".";
        if (!node.isObject()) {
            throw new BadRequestException(path + side + " must be an object with identity_type and identity.");
        }
        String typeName = optionalText((ObjectNode) node, "identity_type", sidePath);
        if (typeName == null || typeName.isBlank()) {
            throw new BadRequestException("Required field \"" + sidePath + "identity_type\" is missing or empty for "
                    + "user_identity_change.");
        }
        String type = IDENTITY_ALIASES.getOrDefault(typeName, typeName);
        if (!CHANGEABLE_IDENTITY_TYPES.contains(type)) {
            throw new BadRequestException(sidePath + "identity_type \"" + typeName + "\" is not a known identity "
                    + "type; known types are " + knownTypes(CHANGEABLE_IDENTITY_TYPES) + ".");
        }
        String value = identityValue(node.get("identity"), type, sidePath + "identity");
        return value == null ? null : new Identity(type, value);
    }

    /**
     * The identity as stored and compared ({@link IdentityRule}), or null when the value is absent or blank (such an
     * identity is ignored). The limit applies to the stored value: an email's surrounding spaces do not count.
     */
    private static String identityValue(JsonNode value, String type, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new BadRequestException(field + " must be a string.");
        }
        if (IdentityRule.isBlank(value.asText())) {
            return null;
        }
        String normalized = IdentityRule.normalize(type, value.asText());
        int length = IdentityRule.length(normalized);
        if (length > IdentityRule.MAX_VALUE_LENGTH) {
            throw new BadRequestException(field + " is " + length + " characters long; at most "
                    + IdentityRule.MAX_VALUE_LENGTH + " are allowed.");
        }
        return normalized;
    }

    private static String knownTypes(Set<String> types) {
        TreeSet<String> known = new TreeSet<>(types);
        known.addAll(IDENTITY_ALIASES.keySet());
        return String.join(", ", known);
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
            checkAttributeName(field.getKey(), path + "user_attributes");
            JsonNode value = field.getValue();
            if (!value.isNull()) {
                checkUserAttributeValue(field.getKey(), value, path + "user_attributes." + field.getKey());
                clean.set(field.getKey(), value);
            }
        }
        return clean;
    }

    /** A {@code user_attribute_change} event: a new value, or a deletion ({@code deleted}, or no new value). */
    private static IncomingEvent.AttributeChange attributeChange(ObjectNode data, String path) {
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

    /**
     * A stored value's length (as JSON text when it is an object or a list), and a number that is finite: 1e999 reads
     * as Infinity, which would be stored as the text "Infinity".
     */
    private static void checkValue(JsonNode value, int max, String field) {
        if (value.isNumber() && !Double.isFinite(value.asDouble())) {
            throw new BadRequestException(field + " is a number out of range (" + value.toString() + ").");
        }
        checkLength(value.isValueNode() ? value.asText() : value.toString(), max, field);
    }

    private static boolean isPlainValue(JsonNode value) {
        return value.isTextual() || value.isNumber() || value.isBoolean();
    }

    private static List<String> deletedAttributes(ObjectNode batch, String path) {
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

    /**
     * A time in milliseconds since the epoch: absent, null or 0 means the fallback (when the batch was received, for
     * an event the batch's time); otherwise from 2000-01-01 to 24 hours after now.
     */
    private static Instant timestamp(ObjectNode node, String field, String path, Instant fallback, Instant now) {
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
        if (millis == 0) {
            return fallback;
        }
        Instant time = Instant.ofEpochMilli(millis);
        Instant latest = now.plus(LATEST_AHEAD);
        if (time.isBefore(EARLIEST_TIME) || time.isAfter(latest)) {
            throw new BadRequestException(path + field + " " + millis + " is outside the accepted range: it must "
                    + "be from " + EARLIEST_TIME.toEpochMilli() + " (" + EARLIEST_TIME + ") to "
                    + latest.toEpochMilli() + " (" + latest + ", 24 hours after the time received), or 0 for the "
                    + "time received.");
        }
        return time;
    }

    private static long parseMillis(String text, String field) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(field + " must be milliseconds since the epoch.");
        }
    }

    /** MariaDB counts characters, not UTF-16 units: an emoji is one character. */
    private static void checkLength(String value, int max, String field) {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new BadRequestException(field + " is " + length + " characters long; at most " + max
                    + " are allowed.");
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
