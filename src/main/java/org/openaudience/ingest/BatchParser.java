package org.openaudience.ingest;

import static org.openaudience.ingest.FieldChecks.MAX_ATTRIBUTE_VALUE;
import static org.openaudience.ingest.FieldChecks.MAX_PLATFORM;
import static org.openaudience.ingest.FieldChecks.MAX_SOURCE_REQUEST_ID;
import static org.openaudience.ingest.FieldChecks.checkLength;
import static org.openaudience.ingest.FieldChecks.optionalObject;
import static org.openaudience.ingest.FieldChecks.optionalText;
import static org.openaudience.ingest.FieldChecks.timestamp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Reads and validates mParticle v2 batches. Every problem is a {@link BadRequestException} naming the field, so a
 * request is either wholly valid or refused before anything is written. Unknown fields are allowed; they stay in
 * each batch's raw JSON.
 *
 * <p>This class reads the body and the batch-level fields; {@link EventParser}, {@link IdentityReader} and
 * {@link UserAttributeReader} read the parts of a batch, all with the limits and checks of {@link FieldChecks}.
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

    /** Batch-level user identities. */
    static final Set<String> USER_IDENTITY_TYPES = Set.of("customer_id", "email", "other", "other_id_2",
            "other_id_3", "other_id_4", "other_id_5", "other_id_6", "other_id_7", "other_id_8", "other_id_9",
            "other_id_10", "mobile_number", "phone_number_2", "phone_number_3", "facebook",
            "facebook_custom_audience_id", "google", "twitter", "microsoft", "yahoo");
    /** Device ids inside {@code device_info} that also identify a user. */
    static final List<String> DEVICE_ID_FIELDS = List.of("ios_idfv", "ios_advertising_id", "android_uuid",
            "android_advertising_id", "roku_advertising_id", "roku_publisher_id", "fire_advertising_id",
            "microsoft_advertising_id", "microsoft_publisher_id");
    private static final Set<String> ENVIRONMENTS = Set.of("development", "production");

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
        return List.of(batch((ObjectNode) root, asSent(body, false, 1).get(0), "", defaultPlatform, now));
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
            if (!root.get(i).isObject()) {
                throw new BadRequestException("[" + i + "] must be a batch object.");
            }
        }
        List<String> raw = asSent(body, true, root.size());
        for (int i = 0; i < root.size(); i++) {
            batches.add(batch((ObjectNode) root.get(i), raw.get(i), "[" + i + "].", defaultPlatform, now));
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

    /**
     * Each batch exactly as the client sent it: the bytes of the body's object (or of each object of its array), found
     * by a streaming pass over the body that {@link #read} has already validated. Cheaper than writing each parsed
     * tree out again, and faithful to the last byte. Null entries where the body was not UTF-8 (no byte offsets).
     */
    private List<String> asSent(byte[] body, boolean bulk, int objects) {
        List<String> raw = new ArrayList<>(objects);
        try (JsonParser parser = json.getFactory().createParser(body)) {
            JsonToken token = parser.nextToken();
            if (bulk) {
                token = parser.nextToken();
            }
            while (token == JsonToken.START_OBJECT && raw.size() < objects) {
                long start = parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                long end = parser.currentLocation().getByteOffset();
                raw.add(start < 0 || end <= start ? null
                        : new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8));
                token = parser.nextToken();
            }
        } catch (IOException e) {
            throw new IllegalStateException("A body that parsed as JSON could not be read again", e);
        }
        if (raw.size() != objects) {
            throw new IllegalStateException("Found " + raw.size() + " batch objects in a body of " + objects);
        }
        return raw;
    }

    /** The parser's own message names the problem; its location details and class names are internal noise. */
    private static String reason(JsonProcessingException e) {
        return e.getOriginalMessage().split("\n")[0].replaceAll("\\s*\\(start marker at .*$", "")
                .replaceAll("\\s*at \\[Source.*$", "");
    }

    private IncomingBatch batch(ObjectNode node, String rawJson, String path, String defaultPlatform, Instant now) {
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
        Map<String, String> identities = IdentityReader.identities(node, deviceInfo, path);
        List<IncomingEvent> events = new ArrayList<>();
        JsonNode eventsNode = node.get("events");
        if (eventsNode != null && !eventsNode.isNull()) {
            if (!eventsNode.isArray()) {
                throw new BadRequestException(path + "events must be an array.");
            }
            for (int i = 0; i < eventsNode.size(); i++) {
                events.add(EventParser.event(eventsNode.get(i), path + "events[" + i + "].", batchTime, now));
            }
        }
        return new IncomingBatch(rawJson != null ? rawJson : node.toString(), mpid(node, path), sourceRequestId, environment, batchTime,
                identities, UserAttributeReader.userAttributes(node, path),
                UserAttributeReader.deletedAttributes(node, path), deviceInfo, platform, events);
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
            // device ids are identities, checked with their own limit in IdentityReader.identities()
            if (!DEVICE_ID_FIELDS.contains(field.getKey())) {
                checkLength(field.getValue().asText(), "platform".equals(field.getKey()) ? MAX_PLATFORM
                        : MAX_ATTRIBUTE_VALUE, fieldPath);
            }
        }
        return deviceInfo;
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
}
