package org.openaudience.output.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

/** What to connect: an output of the audience's workspace, the whole audience or one variation, which identities. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "ConnectRequest")
public record ConnectRequest(
        @Schema(description = "An output of the audience's workspace (GET /outputs)", example = "3",
                requiredMode = Schema.RequiredMode.REQUIRED) Long outputId,
        @Schema(description = "A variation's position in the audience's saved A/B test (0 = Control); leave it out "
                + "for the whole audience", example = "1") Integer variation,
        @Schema(description = "Identity types sent with each member's MPID; [] sends MPIDs only",
                example = "[\"customer_id\", \"email\"]", requiredMode = Schema.RequiredMode.REQUIRED)
        Set<String> identityTypes) {
}
