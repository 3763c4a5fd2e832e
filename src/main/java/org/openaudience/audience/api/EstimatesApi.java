package org.openaudience.audience.api;

import static org.openaudience.audience.api.AudiencesApi.AUDIENCES;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openaudience.api.RestApi;
import org.openaudience.audience.AudienceDefinitions;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/** Sizes of definitions that are not saved, as the editor shows them while criteria are edited. */
@RestApi
@Tag(name = "Audience definitions", description = "Criteria and inputs of an audience, versioned")
class EstimatesApi {

    private final AudienceDefinitions definitions;

    EstimatesApi(AudienceDefinitions definitions) {
        this.definitions = definitions;
    }

    @PostMapping(AUDIENCES + "/estimate")
    @Operation(summary = "Estimate a definition", description = "Nothing is saved. The definition must be one that "
            + "could be activated (its problems answer 400, each in `errors`). Counted with the calculation's own "
            + "query on a fixed sample of the workspace's profiles (about 20,000; small workspaces whole, so "
            + "exactly) and scaled to the workspace; each criterion is also estimated on its own.")
    EstimateBody estimate(@PathVariable long workspaceId, @RequestBody DefinitionChangeBody body) {
        return EstimateBody.of(definitions.estimate(workspaceId, DefinitionRequests.definition(body.definition())));
    }
}
