package org.openaudience.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.openaudience.input.Input;
import org.openaudience.livestream.Direction;
import org.openaudience.livestream.StreamEvent;

/** Live Stream rows of stored events; built only while someone watches the workspace. */
final class StreamRows {

    private StreamRows() {
    }

    static List<StreamEvent> of(Input input, List<IncomingBatch> batches, List<Long> mpids, Instant receivedAt) {
        List<StreamEvent> rows = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            IncomingBatch batch = batches.get(i);
            ObjectNode identities = JsonNodeFactory.instance.objectNode();
            batch.identities().forEach(identities::put);
            String deviceId = BatchParser.DEVICE_ID_FIELDS.stream().map(batch.identities()::get)
                    .filter(Objects::nonNull).findFirst().orElse(batch.identities().get("mp_deviceid"));
            String device = IngestionService.deviceInfo(batch).toString();
            for (IncomingEvent event : batch.events()) {
                String raw = raw(event, event.data());
                rows.add(new StreamEvent(input.workspaceId(), receivedAt, event.time(), Direction.INBOUND,
                        event.type().wireName(), event.key(), event.customEventType(), input.id(), input.name(),
                        batch.platform(), batch.environment(), mpids.get(i), deviceId, "Accepted",
                        event.attributes().toString(), identities.toString(), batch.userAttributes().toString(),
                        device, event.latitude(), event.longitude(), raw, rawWithoutIdentities(event, raw)));
            }
        }
        return rows;
    }

    private static String raw(IncomingEvent event, ObjectNode data) {
        ObjectNode raw = JsonNodeFactory.instance.objectNode();
        raw.put("event_type", event.type().wireName());
        raw.set("data", data);
        return raw.toString();
    }

    /**
     * Of the event data only a {@code user_identity_change} names identities (the {@code identity} of its
     * {@code old} and {@code new} sides); the batch's identities are not part of an event's raw JSON.
     */
    private static String rawWithoutIdentities(IncomingEvent event, String raw) {
        if (event.type() != EventType.USER_IDENTITY_CHANGE) {
            return raw;
        }
        ObjectNode data = event.data().deepCopy();
        for (String side : List.of("old", "new")) {
            if (data.get(side) instanceof ObjectNode change && change.has("identity")) {
                change.put("identity", StreamEvent.HIDDEN);
            }
        }
        return raw(event, data);
    }
}
