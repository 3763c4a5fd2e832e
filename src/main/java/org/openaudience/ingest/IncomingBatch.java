package org.openaudience.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One validated batch: a user's identities, attributes and device, and their events.
 *
 * @param identities     user identities and device ids, by identity type ({@code customer_id}, {@code email},
 *                       {@code mp_deviceid}, {@code ios_idfv}, …)
 * @param userAttributes attribute values to set (strings, numbers, booleans or lists)
 * @param rawJson        the batch exactly as received, unknown fields included
 */
public record IncomingBatch(String rawJson, Long mpid, String sourceRequestId, String environment, Instant time,
                            Map<String, String> identities, ObjectNode userAttributes,
                            List<String> deletedUserAttributes, ObjectNode deviceInfo, String platform,
                            List<IncomingEvent> events) {
}
