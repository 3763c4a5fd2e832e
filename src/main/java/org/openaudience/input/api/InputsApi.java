package org.openaudience.input.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openaudience.api.PageOf;
import org.openaudience.api.RestApi;
import org.openaudience.input.InputService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** Reading a workspace's inputs, for the roles that see Setup › Inputs (Admin and Support). */
@RestApi
@Tag(name = "Inputs", description = "Event sources of a workspace")
class InputsApi {

    static final String INPUTS = "/api/v1/workspaces/{workspaceId}/inputs";

    private final InputService inputs;

    InputsApi(InputService inputs) {
        this.inputs = inputs;
    }

    @GetMapping(INPUTS)
    @Operation(summary = "List inputs", description = "By name: platform, API key and whether enabled; never a "
            + "secret. For Admin and Support, who manage inputs (403 for other roles).")
    PageOf<InputBody> list(@PathVariable long workspaceId, @RequestParam(defaultValue = "0") int offset,
                           @RequestParam(defaultValue = PageOf.DEFAULT_LIMIT) int limit) {
        PageOf.check(offset, limit);
        return new PageOf<>(inputs.page(workspaceId, offset, limit).stream().map(InputBody::of).toList(), offset,
                limit, inputs.count(workspaceId));
    }
}
