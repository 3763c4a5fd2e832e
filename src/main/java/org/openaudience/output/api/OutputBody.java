package org.openaudience.output.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import org.openaudience.output.OutputOverview;

/** An output without anything secret: no HMAC secret, header, or URL path and query. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Output")
public record OutputBody(
        @Schema(example = "3") long id,
        @Schema(example = "1") long workspaceId,
        @Schema(example = "CRM webhook") String name,
        @Schema(description = "WEBHOOK or FILE_DROP", example = "WEBHOOK") String kind,
        @Schema(description = "A webhook's scheme, host and port, or a file drop's folder; null when your role may "
                + "only connect audiences (Audiences Only), as on the Connect tab",
                example = "https://crm.example.com") String destination,
        @Schema(description = "Audiences connected to it", example = "2") int connectedAudiences) {

    static OutputBody of(OutputOverview output) {
        return new OutputBody(output.id(), output.workspaceId(), output.name(), output.kind().name(),
                output.destination(), output.connectedAudiences());
    }
}
