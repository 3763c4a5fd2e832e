package org.openaudience.output.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.openaudience.output.Connection;

/** A connection as the Connect tab shows it: what goes to which output, its status and how delivery stands. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Connection")
public record ConnectionBody(
        @Schema(example = "7") long id,
        @Schema(example = "42") long audienceId,
        @Schema(example = "Paris premium viewers") String audienceName,
        @Schema(example = "3") long outputId,
        @Schema(example = "CRM webhook") String outputName,
        @Schema(example = "WEBHOOK") String outputKind,
        @Schema(description = "The A/B variation's position (0 = Control); null for the whole audience",
                example = "1") Integer variation,
        @Schema(description = "The variation's name; null for the whole audience", example = "Half price")
        String variationName,
        @Schema(description = "The name the output receives", example = "paris_premium_viewers - Half price")
        String externalName,
        @Schema(description = "Identities sent with each member", example = "[\"customer_id\", \"email\"]")
        List<String> identityTypes,
        @Schema(description = "SENDING, PAUSED, or FAULTED (stopped after repeated failures; waits for resume)",
                example = "SENDING") String status,
        @Schema(description = "SNAPSHOT while the current members are sent as adds, then CHANGES",
                example = "CHANGES") String phase,
        @Schema(description = "Failed attempts in a row", example = "0") int failedAttempts,
        @Schema(description = "Why the last attempt failed; null when none did",
                example = "HTTP 503 from crm.example.com") String lastError,
        Instant lastErrorAt,
        @Schema(description = "When a batch was last delivered; null before the first") Instant lastDeliveryAt,
        @Schema(example = "1152") long deliveredAdds,
        @Schema(example = "12") long deliveredRemoves,
        @Schema(description = "Membership changes not yet delivered, counted up to 100000", example = "0")
        long changesWaiting,
        @Schema(example = "marketer@example.com") String createdBy,
        Instant createdAt) {

    static ConnectionBody of(Connection c) {
        return new ConnectionBody(c.id(), c.audienceId(), c.audienceName(), c.outputId(), c.outputName(),
                c.outputKind().name(), c.variation(), c.variationName(), c.externalName(), c.identityTypes(),
                c.status().name(), c.phase().name(), c.failedAttempts(), c.lastError(), c.lastErrorAt(),
                c.lastDeliveryAt(), c.deliveredAdds(), c.deliveredRemoves(), c.changesWaiting(), c.createdBy(),
                c.createdAt());
    }
}
