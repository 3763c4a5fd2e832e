package org.openaudience.audience.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openaudience.api.PageOf;
import org.openaudience.api.RestApi;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.AudienceProgress;
import org.openaudience.audience.AudienceService;
import org.openaudience.base.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** An audience's calculation progress, its calculation runs and its definition history with what each save changed. */
@RestApi
@Tag(name = "Audience history", description = "Progress, calculation runs and definition versions of an audience")
class AudienceHistoryApi {

    static final String PROGRESS = AudiencesApi.AUDIENCE + "/progress";
    static final String RUNS = AudiencesApi.AUDIENCE + "/runs";
    static final String VERSIONS = AudiencesApi.AUDIENCE + "/versions";
    static final String VERSION = VERSIONS + "/{version}";

    private final AudienceHistory history;
    private final AudienceService audiences;

    AudienceHistoryApi(AudienceHistory history, AudienceService audiences) {
        this.history = history;
        this.audiences = audiences;
    }

    @GetMapping(PROGRESS)
    @Operation(summary = "Get an audience's calculation progress", description = "Small enough to poll every few "
            + "seconds after activating or editing: size, whether a calculation runs and how far it is (MPID ranges "
            + "done), members found so far, the last error and when the membership was last complete.")
    ProgressBody progress(@PathVariable long workspaceId, @PathVariable long audienceId) {
        AudienceProgress progress = history.progress(audienceId);
        inWorkspace(progress.audience(), workspaceId);
        return ProgressBody.of(progress, history.indexBuilds(audienceId));
    }

    @GetMapping(RUNS)
    @Operation(summary = "List an audience's calculation runs", description = "Newest first: the definition "
            + "version each calculated, start, finish and duration, the size found and why a run failed.")
    PageOf<RunBody> runs(@PathVariable long workspaceId, @PathVariable long audienceId,
                         @RequestParam(defaultValue = "0") int offset,
                         @RequestParam(defaultValue = PageOf.DEFAULT_LIMIT) int limit) {
        PageOf.check(offset, limit);
        inWorkspace(audiences.audience(audienceId), workspaceId);
        return new PageOf<>(history.runs(audienceId, offset, limit).stream().map(RunBody::of).toList(), offset,
                limit, history.runCount(audienceId));
    }

    @GetMapping(VERSIONS)
    @Operation(summary = "List an audience's definition versions", description = "Newest first: who saved each "
            + "version and when, and its changes against the version before it, one sentence each.")
    PageOf<VersionBody> versions(@PathVariable long workspaceId, @PathVariable long audienceId,
                                 @RequestParam(defaultValue = "0") int offset,
                                 @RequestParam(defaultValue = PageOf.DEFAULT_LIMIT) int limit) {
        PageOf.check(offset, limit);
        inWorkspace(audiences.audience(audienceId), workspaceId);
        return new PageOf<>(history.versions(audienceId, offset, limit).stream().map(VersionBody::of).toList(),
                offset, limit, history.versionCount(audienceId));
    }

    @GetMapping(VERSION)
    @Operation(summary = "Get one definition version", description = "The definition as saved (the versioned JSON "
            + "form audiences are created with) and each change against the version before it: criteria added, "
            + "removed, changed or moved, groups, connectors and inputs.")
    VersionDetailBody version(@PathVariable long workspaceId, @PathVariable long audienceId,
                              @PathVariable int version) {
        inWorkspace(audiences.audience(audienceId), workspaceId);
        return VersionDetailBody.of(history.version(audienceId, version));
    }

    /** An audience asked for under another workspace's path does not exist there. */
    static Audience inWorkspace(Audience audience, long workspaceId) {
        if (audience.workspaceId() != workspaceId) {
            throw new NotFoundException("Audience " + audience.id() + " does not exist, or it is in a workspace you "
                    + "cannot use.");
        }
        return audience;
    }
}
