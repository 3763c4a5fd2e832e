package org.openaudience.input.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.openaudience.input.Input;
import org.openaudience.input.InputSummary;

/**
 * An input as Setup › Inputs lists it. The API key identifies the input (mParticle shows keys too); the secret is
 * never shown again after it was made, and its hash never leaves the server. Members who do not manage inputs see
 * only id, name and platform (what a definition's {@code inputs} need); the other fields are left out for them.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Input")
public record InputBody(
        @Schema(example = "5") long id,
        @Schema(example = "1") long workspaceId,
        @Schema(example = "iOS app") String name,
        @Schema(description = "IOS, ANDROID, WEB, TVOS, ROKU, XBOX, SMART_TV, ALEXA, CUSTOM_FEED or SERVER_TO_SERVER",
                example = "IOS") String platform,
        @Schema(example = "iOS") String platformLabel,
        @Schema(description = "The key the input's events are sent with (HTTP Basic user name on the Events API)",
                example = "oa-7fKq2mWcX9pLr4TzB8nVd3Hs") String apiKey,
        @Schema(description = "Disabled inputs' events are refused (Admin and Support only)", example = "true")
        Boolean enabled,
        Instant createdAt,
        @Schema(description = "When the current secret was made") Instant secretRotatedAt) {

    static InputBody of(Input input) {
        return new InputBody(input.id(), input.workspaceId(), input.name(), input.platform().name(),
                input.platform().label(), input.apiKey(), input.enabled(), input.createdAt(),
                input.secretRotatedAt());
    }

    static InputBody of(InputSummary input, long workspaceId) {
        return new InputBody(input.id(), workspaceId, input.name(), input.platform().name(),
                input.platform().label(), null, null, null, null);
    }
}
