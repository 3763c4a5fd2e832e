package org.openaudience.output.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openaudience.api.PageOf;
import org.openaudience.api.RestApi;
import org.openaudience.base.NotFoundException;
import org.openaudience.output.OutputOverview;
import org.openaudience.output.OutputOverviews;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Reading a workspace's outputs, to find the one to connect an audience to. Never a secret: no HMAC secret, no
 * header, no URL path or query; destinations only for roles that manage outputs.
 */
@RestApi
@Tag(name = "Outputs", description = "Webhooks and CSV file drops audiences are sent to")
class OutputsApi {

    static final String OUTPUTS = "/api/v1/workspaces/{workspaceId}/outputs";
    static final String OUTPUT = OUTPUTS + "/{outputId}";

    private final OutputOverviews outputs;

    OutputsApi(OutputOverviews outputs) {
        this.outputs = outputs;
    }

    @GetMapping(OUTPUTS)
    @Operation(summary = "List outputs", description = "By name, with how many audiences are connected to each. For "
            + "roles that may connect audiences; the destination is shown to Admin, Support and User.")
    PageOf<OutputBody> list(@PathVariable long workspaceId, @RequestParam(defaultValue = "0") int offset,
                            @RequestParam(defaultValue = PageOf.DEFAULT_LIMIT) int limit) {
        PageOf.check(offset, limit);
        return new PageOf<>(outputs.page(workspaceId, offset, limit).stream().map(OutputBody::of).toList(),
                offset, limit, outputs.count(workspaceId));
    }

    @GetMapping(OUTPUT)
    @Operation(summary = "Get an output", description = "As the list shows it.")
    OutputBody get(@PathVariable long workspaceId, @PathVariable long outputId) {
        OutputOverview output = outputs.overview(outputId);
        if (output.workspaceId() != workspaceId) {
            throw new NotFoundException("Output " + outputId + " does not exist, or it is in a workspace you cannot "
                    + "use.");
        }
        return OutputBody.of(output);
    }
}
