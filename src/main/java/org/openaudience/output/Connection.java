package org.openaudience.output;

import java.time.Instant;
import java.util.List;

/**
 * An audience, or one A/B variation of it, connected to an output, with its delivery state.
 *
 * @param variation      the variation's position (0 = Control), or null for the whole audience
 * @param variationName  its name, or null for the whole audience
 * @param externalName   the name the output receives: {@code <External Name> - <Variation>} for variations
 * @param changesWaiting change log entries not yet delivered (before the variation filter), counted up to 100,000
 */
public record Connection(long id, long workspaceId, long audienceId, String audienceName, Integer variation,
                         String variationName, String externalName, long outputId, String outputName,
                         OutputKind outputKind, List<String> identityTypes, ConnectionStatus status,
                         DeliveryPhase phase, int failedAttempts, String lastError, Instant lastErrorAt,
                         Instant lastDeliveryAt, long deliveredAdds, long deliveredRemoves, long changesWaiting,
                         String createdBy, Instant createdAt) {

    /** Backlogs are counted up to this (a Faulted connection of a busy audience may lag by millions). */
    public static final int MAX_COUNTED_BACKLOG = 100_000;

    Connection withChangesWaiting(long waiting) {
        return new Connection(id, workspaceId, audienceId, audienceName, variation, variationName, externalName,
                outputId, outputName, outputKind, identityTypes, status, phase, failedAttempts, lastError, lastErrorAt,
                lastDeliveryAt, deliveredAdds, deliveredRemoves, waiting, createdBy, createdAt);
    }

    /** What is sent: "Whole audience" or the variation's name. */
    public String target() {
        return variationName == null ? "Whole audience" : variationName;
    }

    /** The external name of an audience, or of one of its variations (PRODUCT.md §3.6). */
    public static String externalName(String audienceExternalName, String variationName) {
        return variationName == null ? audienceExternalName : audienceExternalName + " - " + variationName;
    }
}
