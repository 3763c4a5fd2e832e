package org.openaudience.livestream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One row of the Live Stream, with everything the Event Details panel shows. JSON parts are compact JSON text.
 *
 * @param deviceId                 the first device id of the batch, for users without an MPID in view
 * @param status                   e.g. "Accepted", or an outbound delivery's failure reason
 * @param rawJson                  the event exactly as received (event_type and data), or the message sent
 * @param rawJsonWithoutIdentities the same with every identity value replaced by {@link #HIDDEN}: the producer knows
 *                                 where its format carries identities (often nowhere: then the same text)
 */
public record StreamEvent(long workspaceId, Instant receivedAt, Instant eventTime, Direction direction,
                          String eventType, String eventName, String customEventType, long inputId,
                          String inputName, String platform, String environment, Long mpid, String deviceId,
                          String status, String attributesJson, String identitiesJson, String userAttributesJson,
                          String deviceInfoJson, Double latitude, Double longitude, String rawJson,
                          String rawJsonWithoutIdentities) {

    /** What roles without Users › Lookup see instead of an identity value (identities are personal data). */
    public static final String HIDDEN = "hidden for your role";

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean isDevelopment() {
        return "development".equals(environment);
    }

    /**
     * This row as a role without Users › Lookup may see it: identity types stay, their values, the device id and
     * identities inside the raw JSON are {@link #HIDDEN}.
     */
    public StreamEvent withoutIdentities() {
        return new StreamEvent(workspaceId, receivedAt, eventTime, direction, eventType, eventName, customEventType,
                inputId, inputName, platform, environment, mpid, null, status, attributesJson,
                hiddenValues(identitiesJson), userAttributesJson, deviceInfoJson, latitude, longitude,
                rawJsonWithoutIdentities, rawJsonWithoutIdentities);
    }

    private static String hiddenValues(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!(node instanceof ObjectNode object)) {
                return "{}";
            }
            ObjectNode hidden = JSON.createObjectNode();
            object.fieldNames().forEachRemaining(name -> hidden.put(name, HIDDEN));
            return hidden.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stream rows carry JSON written by their producer", e);
        }
    }
}
