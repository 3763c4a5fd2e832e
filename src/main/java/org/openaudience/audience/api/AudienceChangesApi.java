package org.openaudience.audience.api;

import static org.openaudience.audience.api.AudiencesApi.AUDIENCE;
import static org.openaudience.audience.api.AudiencesApi.AUDIENCES;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.openaudience.api.Locations;
import org.openaudience.api.RestApi;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceDefinitions;
import org.openaudience.audience.AudienceDetails;
import org.openaudience.audience.AudienceInUseException;
import org.openaudience.audience.AudienceList;
import org.openaudience.audience.AudienceService;
import org.openaudience.base.ConflictException;
import org.openaudience.base.InvalidRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * Changing audiences as the Audiences page does: create (a draft), details, activate, deactivate, calculate again
 * after a failure, clone and delete — the same service calls, checks, refusals and audit entries.
 */
@RestApi
@Tag(name = "Audiences", description = "Audiences of a workspace")
class AudienceChangesApi {

    static final String PROBLEM_JSON = "application/problem+json";

    private final AudienceService audiences;
    private final AudienceDefinitions definitions;
    private final AudienceDetails details;
    private final AudienceList list;

    AudienceChangesApi(AudienceService audiences, AudienceDefinitions definitions, AudienceDetails details,
                       AudienceList list) {
        this.audiences = audiences;
        this.definitions = definitions;
        this.details = details;
        this.list = list;
    }

    @PostMapping(AUDIENCES)
    @Operation(summary = "Create an audience", description = "Saves a draft with the definition (checked against "
            + "the size limits, as a draft in the editor; activation checks everything). Answers the audience with "
            + "its `Location` and the definition's `ETag`.")
    @ApiResponse(responseCode = "201", description = "Created as a draft", headers = {
            @Header(name = "Location", description = "The new audience"),
            @Header(name = "ETag", description = "The definition's version, for If-Match")})
    ResponseEntity<AudienceBody> create(@PathVariable long workspaceId, @RequestBody NewAudienceBody body) {
        definitions.requireEditor(workspaceId);
        var definition = DefinitionRequests.definition(body.definition());
        Audience created = audiences.createAudience(workspaceId, body.name(), body.externalName(), body.description(),
                body.tags(), definition);
        return created(workspaceId, created);
    }

    @PatchMapping(AUDIENCE)
    @Operation(summary = "Change an audience's details", description = "Name, external name, description and tags, "
            + "as the Details tab; the fields left out stay as they are. Tags are replaced as a whole.")
    AudienceBody changeDetails(@PathVariable long workspaceId, @PathVariable long audienceId,
                               @RequestBody AudienceDetailsBody body) {
        editable(workspaceId, audienceId);
        if (body.empty()) {
            throw new InvalidRequestException(null, "Send at least one of name, external_name, description, tags.");
        }
        details.changeDetails(audienceId, body.name(), body.externalName(), body.description(), body.tags());
        return body(audienceId);
    }

    @PostMapping(AUDIENCE + "/activate")
    @Operation(summary = "Activate an audience", description = "Validates the definition (every problem in "
            + "`errors`, with its criterion and part) and starts calculating its members in the background; poll "
            + "the audience's `calculation`. An active audience is validated and calculated again.")
    AudienceBody activate(@PathVariable long workspaceId, @PathVariable long audienceId) {
        editable(workspaceId, audienceId);
        audiences.activateAudience(audienceId);
        return body(audienceId);
    }

    @PostMapping(AUDIENCE + "/deactivate")
    @Operation(summary = "Deactivate an audience", description = "Stops its calculation and real-time updates; its "
            + "last complete membership is kept.")
    AudienceBody deactivate(@PathVariable long workspaceId, @PathVariable long audienceId) {
        editable(workspaceId, audienceId);
        audiences.deactivateAudience(audienceId);
        return body(audienceId);
    }

    @PostMapping(AUDIENCE + "/retry")
    @Operation(summary = "Calculate a failed audience again", description = "For an active audience whose last "
            + "calculation failed (`calculation.last_error`): calculates its current definition again. Any other "
            + "audience is refused with 400.")
    AudienceBody retry(@PathVariable long workspaceId, @PathVariable long audienceId) {
        editable(workspaceId, audienceId);
        audiences.retryCalculation(audienceId);
        return body(audienceId);
    }

    @PostMapping(AUDIENCE + "/clone")
    @Operation(summary = "Clone an audience", description = "A draft copy with the same definition, inputs, "
            + "description and tags, named \"<name> (copy)\" (numbered when taken).")
    @ApiResponse(responseCode = "201", description = "The copy", headers = {
            @Header(name = "Location", description = "The copy"),
            @Header(name = "ETag", description = "The copy's definition version")})
    ResponseEntity<AudienceBody> cloneAudience(@PathVariable long workspaceId, @PathVariable long audienceId) {
        editable(workspaceId, audienceId);
        return created(workspaceId, audiences.cloneAudience(audienceId));
    }

    @DeleteMapping(AUDIENCE)
    @Operation(summary = "Delete an audience", description = "With its definition history, members and runs. "
            + "Refused with 409 while other audiences' membership criteria use it (`used_by` names them).")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "Used in other audiences' membership criteria",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "#/components/schemas/Problem")))
    ResponseEntity<Void> delete(@PathVariable long workspaceId, @PathVariable long audienceId) {
        editable(workspaceId, audienceId);
        try {
            audiences.deleteAudience(audienceId);
        } catch (AudienceInUseException inUse) {
            // a conflict with the state of other audiences, not a mistake in the request
            throw new ConflictException(inUse.getMessage(), Map.of("used_by", inUse.usedBy()));
        }
        return ResponseEntity.noContent().build();
    }

    /** Checked before anything else: a member who may not edit it is refused (403), another workspace's is 404. */
    private void editable(long workspaceId, long audienceId) {
        DefinitionRequests.inWorkspace(definitions.audienceToEdit(audienceId), workspaceId);
    }

    private ResponseEntity<AudienceBody> created(long workspaceId, Audience audience) {
        return ResponseEntity.created(Locations.of(AudiencesApi.AUDIENCE, workspaceId, audience.id()))
                .eTag(DefinitionRequests.etag(audience.definitionVersion()))
                .body(body(audience.id()));
    }

    private AudienceBody body(long audienceId) {
        return AudienceBody.of(list.summary(audienceId));
    }
}
