package org.openaudience.abtest.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.openaudience.abtest.AbTest;
import org.openaudience.abtest.AbTestService;
import org.openaudience.api.Locations;
import org.openaudience.api.RestApi;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.base.NotFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;

/** An audience's A/B test (PRODUCT.md §3.6): read it, put a saved split, delete it — the A/B Test tab's rules. */
@RestApi
@Tag(name = "A/B tests", description = "Splitting an audience's members into variations")
class AbTestApi {

    static final String AB_TEST = "/api/v1/workspaces/{workspaceId}/audiences/{audienceId}/ab-test";

    private final AbTestService tests;
    private final AudienceService audiences;

    AbTestApi(AbTestService tests, AudienceService audiences) {
        this.tests = tests;
        this.audiences = audiences;
    }

    @GetMapping(AB_TEST)
    @Operation(summary = "Get an audience's A/B test", description = "Its variations with their shares, Control "
            + "first, and whether it is saved (frozen). 404 when the audience has no test.")
    AbTestBody get(@PathVariable long workspaceId, @PathVariable long audienceId) {
        Audience audience = audienceIn(workspaceId, audienceId);
        return AbTestBody.of(tests.test(audienceId).orElseThrow(() -> noTest(audienceId)), audience);
    }

    @PutMapping(AB_TEST)
    @Operation(summary = "Create or replace an audience's A/B test, saved", description = """
            Sets the split and saves it, as Start, Add Variation and Save on the A/B Test tab do: each variation \
            takes a whole percent, Control keeps the rest (at least 1 %), at most 5 variations with Control. A test \
            that is not saved yet is replaced. A saved test is frozen: putting its own split again changes nothing \
            (200), another split is refused (409, with the current `variations`); delete it first. Saving is \
            audited.""")
    @ApiResponse(responseCode = "200", description = "The test, replaced or unchanged")
    @ApiResponse(responseCode = "201", description = "The test, created")
    @ApiResponse(responseCode = "409", description = "The audience has a saved test with another split")
    ResponseEntity<AbTestBody> put(@PathVariable long workspaceId, @PathVariable long audienceId,
                                   @RequestBody AbTestRequest request) {
        Audience audience = audienceIn(workspaceId, audienceId);
        boolean existed = tests.test(audienceId).isPresent();
        AbTest saved = tests.putTest(audienceId, request.shares());
        AbTestBody body = AbTestBody.of(saved, audience);
        if (existed) {
            return ResponseEntity.ok(body);
        }
        URI location = Locations.of(AB_TEST, workspaceId, audienceId);
        return ResponseEntity.created(location).body(body);
    }

    @DeleteMapping(AB_TEST)
    @Operation(summary = "Delete an audience's A/B test", description = "Its variations go, and so do the "
            + "connections of its variations; the audience stays. Audited. 404 when the audience has no test.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    ResponseEntity<Void> delete(@PathVariable long workspaceId, @PathVariable long audienceId) {
        audienceIn(workspaceId, audienceId);
        tests.test(audienceId).orElseThrow(() -> noTest(audienceId));
        tests.deleteTest(audienceId);
        return ResponseEntity.noContent().build();
    }

    /** An audience asked for under another workspace's path does not exist there. */
    private Audience audienceIn(long workspaceId, long audienceId) {
        Audience audience = audiences.audience(audienceId);
        if (audience.workspaceId() != workspaceId) {
            throw new NotFoundException("Audience " + audienceId + " does not exist, or it is in a workspace you "
                    + "cannot use.");
        }
        return audience;
    }

    private static NotFoundException noTest(long audienceId) {
        return new NotFoundException("Audience " + audienceId + " has no A/B test.");
    }
}
