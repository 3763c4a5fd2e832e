package org.openaudience.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Comparator;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's front matter: what the API is and how it authenticates. */
@Configuration
class OpenApiConfig {

    static final String BEARER_SCHEME = "apiToken";

    @Bean
    OpenAPI openAudienceApi() {
        return new OpenAPI()
                .info(new Info().title("OpenAudience REST API").version("v1")
                        .description("""
                                Everything the audience pages do, for scripts and pipelines. Create a personal API \
                                token on your API tokens page (user menu › API tokens) and send it as \
                                `Authorization: Bearer <token>`; it acts with your role and workspaces. JSON is \
                                snake_case; errors are RFC 9457 problem details (`application/problem+json`) with \
                                field-level `errors`. Definition updates need `If-Match` with the definition's \
                                `ETag`. Each token may send 20 requests a second (bursts of 40); beyond that the \
                                answer is 429 with `Retry-After`."""))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("oa_…")
                        .description("A personal API token")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }

    /** The order Swagger UI shows the groups in: where a script starts, then what it does most. */
    @Bean
    OpenApiCustomizer tagOrder() {
        List<String> order = List.of("Workspaces", "Audiences", "Audience definitions", "Audience history",
                "Audience members", "A/B tests", "Connections", "Outputs", "Inputs");
        return openApi -> {
            if (openApi.getTags() != null) {
                openApi.getTags().sort(Comparator.comparingInt((Tag tag) -> order.contains(tag.getName())
                        ? order.indexOf(tag.getName()) : order.size()).thenComparing(Tag::getName));
            }
        };
    }
}
