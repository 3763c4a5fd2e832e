package org.openaudience.api;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Every operation of the document answers its errors as problem details; rather than repeat that on each one, the
 * common answers are added here (an operation's own description of a status wins).
 */
@Component
class ProblemResponsesInDocument implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";

    private static final Map<String, String> COMMON = Map.of(
            "400", "Invalid request: `errors` names each field and what is wrong with it",
            "401", "No token, or it is unknown, revoked or expired, or its member is deactivated",
            "403", "The token's member may not do this (role or workspace)",
            "404", "No such thing, or it is in a workspace the token's member cannot use",
            "429", "Too many requests with this token; retry after `Retry-After` seconds");

    @Override
    public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
        Schema<?> problem = ModelConverters.getInstance().readAllAsResolvedSchema(ProblemDocument.class).schema;
        openApi.getComponents().addSchemas(PROBLEM, problem);
        Schema<?> fieldError = ModelConverters.getInstance().readAllAsResolvedSchema(FieldError.class).schema;
        openApi.getComponents().addSchemas("FieldError", fieldError);
        Content content = new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                COMMON.forEach((status, description) -> {
                    if (!operation.getResponses().containsKey(status)) {
                        operation.getResponses().addApiResponse(status,
                                new ApiResponse().description(description).content(content));
                    }
                })));
    }

    /** How a problem looks in the document (RFC 9457 plus this API's {@code errors}). */
    @io.swagger.v3.oas.annotations.media.Schema(name = PROBLEM, description = "RFC 9457 problem details")
    record ProblemDocument(
            @io.swagger.v3.oas.annotations.media.Schema(example = "about:blank") String type,
            @io.swagger.v3.oas.annotations.media.Schema(example = "Invalid request") String title,
            @io.swagger.v3.oas.annotations.media.Schema(example = "400") int status,
            @io.swagger.v3.oas.annotations.media.Schema(example = "An audience named \"Paris\" already exists.")
            String detail,
            @io.swagger.v3.oas.annotations.media.Schema(example = "/api/v1/workspaces/1/audiences") String instance,
            java.util.List<FieldError> errors) {
    }
}
