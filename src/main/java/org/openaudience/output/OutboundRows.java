package org.openaudience.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.openaudience.livestream.Direction;
import org.openaudience.livestream.LiveStreamHub;
import org.openaudience.livestream.StreamEvent;
import org.openaudience.profile.Identity;
import org.springframework.stereotype.Component;

/** Shows deliveries in the Live Stream as Outbound rows (PRODUCT.md §4): what was sent, or why it failed. */
@Component
class OutboundRows {

    static final String EVENT_TYPE = "Audience membership";
    /** The raw JSON view shows at most this much of a large batch. */
    private static final int MAX_RAW_MEMBERS = 200;

    private final LiveStreamHub hub;
    private final MembershipMessages messages;
    private final ObjectMapper json;
    private final Clock clock;

    OutboundRows(LiveStreamHub hub, MembershipMessages messages, ObjectMapper json, Clock clock) {
        this.hub = hub;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
    }

    void delivered(DeliveryState state, Output output, Delivery delivery, String detail) {
        publish(state, output, delivery, "Delivered " + delivery.adds() + " adds, " + delivery.removes()
                + " removes · " + detail, 0);
    }

    void failed(DeliveryState state, Output output, Delivery delivery, String reason, int attempt, boolean faulted) {
        publish(state, output, delivery, "Failed (attempt " + attempt + " of " + output.maxAttempts()
                + (faulted ? ", now Faulted" : "") + "): " + reason, attempt);
    }

    private void publish(DeliveryState state, Output output, Delivery delivery, String status, int attempt) {
        if (!hub.isWatched(state.workspaceId())) {
            return;
        }
        Instant now = clock.instant();
        ObjectNode attributes = json.createObjectNode()
                .put("delivery_id", delivery.deliveryId())
                .put("output", output.name())
                .put("destination", output.shortDestination())
                .put("members", delivery.members().size())
                .put("adds", delivery.adds())
                .put("removes", delivery.removes());
        if (attempt > 0) {
            attributes.put("attempt", attempt);
        }
        Long mpid = delivery.members().size() == 1 ? delivery.members().get(0).mpid() : null;
        hub.publish(List.of(new StreamEvent(state.workspaceId(), now, now, Direction.OUTBOUND, EVENT_TYPE,
                state.externalName(), null, 0, output.name(), output.kind().label(), null, mpid, null, status,
                attributes.toString(), "{}", "{}", "{}", null, null, raw(delivery.members(), delivery),
                raw(withoutIdentities(delivery.members()), delivery))));
    }

    private String raw(List<MemberUpdate> members, Delivery delivery) {
        List<MemberUpdate> shown = members.size() <= MAX_RAW_MEMBERS ? members : members.subList(0, MAX_RAW_MEMBERS);
        return messages.json(new Delivery(delivery.deliveryId(), delivery.sequence(), delivery.connectionId(),
                delivery.audienceId(), delivery.audienceName(), delivery.externalName(), delivery.variationName(),
                shown));
    }

    /** The members as a role without Users › Lookup may see them: identity types, values hidden. */
    private static List<MemberUpdate> withoutIdentities(List<MemberUpdate> members) {
        return members.stream().limit(MAX_RAW_MEMBERS).map(member -> new MemberUpdate(member.mpid(),
                member.identities().stream().map(identity -> new Identity(identity.type(), StreamEvent.HIDDEN))
                        .toList(), member.added(), member.timestampMs())).toList();
    }
}
