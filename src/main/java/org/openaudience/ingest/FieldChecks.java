package org.openaudience.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * The limits of the Events API and the checks that every part of {@link BatchParser} reads fields with. Each check
 * throws a {@link BadRequestException} naming the field.
 *
 * <p>Every value that reaches a column has a checked limit no larger than the column's, so a valid request never
 * fails in MariaDB. Lengths are characters (Unicode code points), as MariaDB counts them in utf8mb4 columns.
 */
final class FieldChecks {

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
    /** Profile {@code country}, {@code region}, {@code city} ({@link UserAttributeReader#PLACE_ATTRIBUTES}). */
    static final int MAX_PLACE = 100;
    /** Earlier times are clock errors of a device (or a 0 date), not events worth keeping. */
    static final Instant EARLIEST_TIME = Instant.parse("2000-01-01T00:00:00Z");
    /** Device clocks run ahead; further ahead is an error, and a far-future row would outlive retention. */
    static final Duration LATEST_AHEAD = Duration.ofHours(24);

    private FieldChecks() {
    }

    /** MariaDB counts characters, not UTF-16 units: an emoji is one character. */
    static void checkLength(String value, int max, String field) {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new BadRequestException(field + " is " + length + " characters long; at most " + max
                    + " are allowed.");
        }
    }

    /**
     * A stored value's length (as JSON text when it is an object or a list), and a number that is finite: 1e999 reads
     * as Infinity, which would be stored as the text "Infinity".
     */
    static void checkValue(JsonNode value, int max, String field) {
        if (value.isNumber() && !Double.isFinite(value.asDouble())) {
            throw new BadRequestException(field + " is a number out of range (" + value.toString() + ").");
        }
        checkLength(value.isValueNode() ? value.asText() : value.toString(), max, field);
    }

    static String optionalText(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new BadRequestException(path + field + " must be a string.");
        }
        return value.asText();
    }

    static String requiredText(ObjectNode node, String field, String path, String eventType) {
        String value = optionalText(node, field, path);
        if (value == null || value.isBlank()) {
            throw new BadRequestException("Required field \"" + path + field + "\" is missing or empty for "
                    + eventType + ".");
        }
        return value.trim();
    }

    static ObjectNode optionalObject(ObjectNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!value.isObject()) {
            throw new BadRequestException(path + field + " must be an object.");
        }
        return (ObjectNode) value;
    }

    /**
     * A time in milliseconds since the epoch: absent, null or 0 means the fallback (when the batch was received, for
     * an event the batch's time); otherwise from 2000-01-01 to 24 hours after now.
     */
    static Instant timestamp(ObjectNode node, String field, String path, Instant fallback, Instant now) {
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
}
