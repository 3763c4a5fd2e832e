package org.openaudience.output;

import java.util.List;

/**
 * One batch for an output. The delivery id is the same when a batch is retried, so receivers can recognise repeats
 * (delivery is at-least-once).
 *
 * @param sequence the connection's batch number, from 1
 */
public record Delivery(String deliveryId, long sequence, long connectionId, long audienceId, String audienceName,
                       String externalName, String variationName, List<MemberUpdate> members) {

    public long adds() {
        return members.stream().filter(MemberUpdate::added).count();
    }

    public long removes() {
        return members.size() - adds();
    }
}
