package org.openaudience.input.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openaudience.api.PageOf;
import org.openaudience.api.RestApi;
import java.util.List;
import org.openaudience.input.InputService;
import org.openaudience.input.InputSummary;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Reading a workspace's inputs: in full for the roles that see Setup › Inputs (Admin and Support); id, name and
 * platform for everyone else, who need the ids to say which inputs a definition uses.
 */
@RestApi
@Tag(name = "Inputs", description = "Event sources of a workspace")
class InputsApi {

    static final String INPUTS = "/api/v1/workspaces/{workspaceId}/inputs";

    private final InputService inputs;

    InputsApi(InputService inputs) {
        this.inputs = inputs;
    }

    @GetMapping(INPUTS)
    @Operation(summary = "List inputs", description = "By name, with platform; for Admin and Support also the API "
            + "key and whether enabled; never a secret. The ids go in a definition's `inputs`.")
    PageOf<InputBody> list(@PathVariable long workspaceId, @RequestParam(defaultValue = "0") int offset,
                           @RequestParam(defaultValue = PageOf.DEFAULT_LIMIT) int limit) {
        PageOf.check(offset, limit);
        if (inputs.mayManageInputs(workspaceId)) {
            return new PageOf<>(inputs.page(workspaceId, offset, limit).stream().map(InputBody::of).toList(),
                    offset, limit, inputs.count(workspaceId));
        }
        List<InputSummary> all = inputs.inputsOf(workspaceId);
        return new PageOf<>(all.stream().skip(offset).limit(limit).map(input -> InputBody.of(input, workspaceId))
                .toList(), offset, limit, all.size());
    }
}
