package org.openaudience.output;

import java.time.Instant;
import java.util.List;

/**
 * A connection as the delivery worker reads it: where its cursors stand and what it sends.
 *
 * @param pendingTo the end of the batch attempted and not yet taken by the output, or null
 */
record DeliveryState(long id, long workspaceId, long audienceId, String audienceName, String audienceExternalName,
                     Integer variation, String variationName, long outputId, List<String> identityTypes,
                     ConnectionStatus status, DeliveryPhase phase, Long snapshotAfterMpid, long changeAfterId,
                     Long pendingTo, int failedAttempts, Instant nextAttemptAt, long batchesSent) {

    String externalName() {
        return Connection.externalName(audienceExternalName, variationName);
    }
}
