package org.openaudience.audience.api;

import static org.openaudience.audience.api.AudienceChangesApi.PROBLEM_JSON;
import static org.openaudience.audience.api.AudiencesApi.AUDIENCE;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;
import org.openaudience.api.RestApi;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceDefinitions;
import org.openaudience.audience.AudienceList;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.DefinitionVersion;
import org.openaudience.base.InvalidRequestException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * An audience's definition as a versioned resource: its ETag is the definition version, and a save must name the
 * version it changes (If-Match), so two scripts or a script and the editor cannot overwrite each other silently.
 */
@RestApi
@Tag(name = "Audience definitions", description = "Criteria and inputs of an audience, versioned")
class AudienceDefinitionApi {

    static final String DEFINITION = AUDIENCE + "/definition";

    private final AudienceDefinitions definitions;
    private final AudienceService audiences;
    private final AudienceList list;

    AudienceDefinitionApi(AudienceDefinitions definitions, AudienceService audiences, AudienceList list) {
        this.definitions = definitions;
        this.audiences = audiences;
        this.list = list;
    }

    @GetMapping(DEFINITION)
    @Operation(summary = "Get an audience's definition", description = "The current definition in its versioned "
            + "JSON form, who saved it and when; the `ETag` is its version, to send back in If-Match.")
    @ApiResponse(responseCode = "200", description = "The current definition",
            headers = @Header(name = "ETag", description = "The definition version, like \"3\""))
    ResponseEntity<DefinitionBody> get(@PathVariable long workspaceId, @PathVariable long audienceId) {
        DefinitionRequests.inWorkspace(audiences.audience(audienceId), workspaceId);
        DefinitionVersion current = definitions.current(audienceId);
        return ResponseEntity.ok().eTag(DefinitionRequests.etag(current.version())).body(DefinitionBody.of(current));
    }

    @PutMapping(DEFINITION)
    @Operation(summary = "Replace an audience's definition", description = "Saves a new definition version made "
            + "from the version If-Match names. A draft is checked against the size limits; an active audience "
            + "is validated as at activation and recalculates (outputs keep the current members until the new "
            + "calculation is complete). An unchanged definition saves nothing.")
    @ApiResponse(responseCode = "200", description = "Saved; the audience with its new definition version",
            headers = @Header(name = "ETag", description = "The new definition version"))
    @ApiResponse(responseCode = "409", description = "Someone saved a newer version meanwhile: "
            + "`current_definition_version` says which; nothing was saved",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "428", description = "No If-Match: send the definition's ETag, or * to replace "
            + "whatever is current",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "#/components/schemas/Problem")))
    ResponseEntity<AudienceBody> replace(@PathVariable long workspaceId, @PathVariable long audienceId,
                                         @Parameter(description = "The ETag of the definition this one changes, "
                                                 + "like \"3\"; * replaces whatever is current", required = true)
                                         @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                         @RequestBody DefinitionChangeBody body) {
        DefinitionRequests.inWorkspace(definitions.audienceToEdit(audienceId), workspaceId);
        Integer expected = DefinitionRequests.expectedVersion(ifMatch);
        return saved(definitions.update(audienceId, expected, DefinitionRequests.definition(body.definition())));
    }

    @PutMapping(AUDIENCE + "/inputs")
    @Operation(summary = "Replace an audience's inputs", description = "A new definition version with the same "
            + "criteria, counting the events of these inputs of the workspace ([] for all). Same If-Match rule as "
            + "the definition.")
    @ApiResponse(responseCode = "200", description = "Saved; the audience with its new definition version",
            headers = @Header(name = "ETag", description = "The new definition version"))
    @ApiResponse(responseCode = "409", description = "Someone saved a newer version meanwhile",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "428", description = "No If-Match",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "#/components/schemas/Problem")))
    ResponseEntity<AudienceBody> replaceInputs(@PathVariable long workspaceId, @PathVariable long audienceId,
                                               @Parameter(description = "The definition's ETag, or *", required = true)
                                               @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                               String ifMatch,
                                               @RequestBody InputsBody body) {
        DefinitionRequests.inWorkspace(definitions.audienceToEdit(audienceId), workspaceId);
        Integer expected = DefinitionRequests.expectedVersion(ifMatch);
        if (body.inputIds() == null) {
            throw new InvalidRequestException("inputIds", "Send input_ids: the inputs whose events count ([] for "
                    + "all inputs).");
        }
        if (body.inputIds().contains(null)) {
            throw new InvalidRequestException("inputIds", "input_ids are numbers; null is not an input.");
        }
        return saved(definitions.replaceInputs(audienceId, expected, Set.copyOf(body.inputIds())));
    }

    private ResponseEntity<AudienceBody> saved(Audience audience) {
        return ResponseEntity.ok().eTag(DefinitionRequests.etag(audience.definitionVersion()))
                .body(AudienceBody.of(list.summary(audience.id())));
    }
}
