package org.openaudience.audience.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;
import org.openaudience.api.PageOf;
import org.openaudience.api.RestApi;
import org.openaudience.audience.AudienceFilter;
import org.openaudience.audience.AudienceList;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.audience.AudienceSummary;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** Reading audiences: the list with its filters, and one audience with size, progress and the day's changes. */
@RestApi
@Tag(name = "Audiences", description = "Audiences of a workspace")
class AudiencesApi {

    static final String AUDIENCES = "/api/v1/workspaces/{workspaceId}/audiences";
    static final String AUDIENCE = AUDIENCES + "/{audienceId}";

    private final AudienceList list;

    AudiencesApi(AudienceList list) {
        this.list = list;
    }

    @GetMapping(AUDIENCES)
    @Operation(summary = "List audiences", description = "By name; filtered by status, tags (all given) and a "
            + "case-insensitive part of the name.")
    PageOf<AudienceBody> list(@PathVariable long workspaceId,
                              @RequestParam(required = false) AudienceStatus status,
                              @Parameter(description = "Audiences carrying every one of these tags")
                              @RequestParam(required = false) Set<String> tag,
                              @Parameter(description = "A part of the name, any case", example = "paris")
                              @RequestParam(required = false) String name,
                              @RequestParam(defaultValue = "0") int offset,
                              @RequestParam(defaultValue = PageOf.DEFAULT_LIMIT) int limit) {
        PageOf.check(offset, limit);
        AudienceFilter filter = new AudienceFilter(name, status, tag);
        return new PageOf<>(list.page(workspaceId, filter, offset, limit).stream().map(AudienceBody::of).toList(),
                offset, limit, list.count(workspaceId, filter));
    }

    @GetMapping(AUDIENCE)
    @Operation(summary = "Get an audience", description = "With size, calculation progress and the last 24 hours' "
            + "adds and drops.")
    AudienceBody get(@PathVariable long workspaceId, @PathVariable long audienceId) {
        return AudienceBody.of(inWorkspace(list.summary(audienceId), workspaceId));
    }

    /** An audience asked for under another workspace's path does not exist there. */
    static AudienceSummary inWorkspace(AudienceSummary summary, long workspaceId) {
        if (summary.audience().workspaceId() != workspaceId) {
            throw new org.openaudience.base.NotFoundException("Audience " + summary.audience().id()
                    + " does not exist, or it is in a workspace you cannot use.");
        }
        return summary;
    }
}
