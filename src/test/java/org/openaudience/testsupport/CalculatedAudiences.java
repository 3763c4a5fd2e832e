package org.openaudience.testsupport;

import java.time.Clock;
import java.time.Duration;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/**
 * Audiences that have been calculated (only those can be connected to outputs): "Play Video" users of a workspace,
 * after one Play Video event was received there, activated by a member and waited for.
 */
public class CalculatedAudiences {

    private final AudienceService audiences;
    private final TestEvents events;

    public CalculatedAudiences(AudienceService audiences, InputService inputs, IngestionService ingestion, BatchParser parser,
                        Clock clock, TeamService team, WorkspaceService workspaces) {
        this.audiences = audiences;
        this.events = new TestEvents(inputs, ingestion, parser, clock, new TestMembers(team, workspaces));
    }

    /** Creates "Play Video" users as {@code name}, activated by the member, once its first calculation is done. */
    public Audience playVideo(Workspace workspace, Member member, String name) {
        events.send(events.webInput(workspace), """
                {"user_identities":{"customer_id":"viewer-%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video","custom_event_type":"other"}}]}""".formatted(TestMembers.unique()));
        Audience draft = as(member, () -> audiences.createAudience(workspace.id(), name, null,
                Definition.of(EventCriterion.event("Play Video"))));
        as(member, () -> audiences.activateAudience(draft.id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        CalculationProgress progress = as(member, () -> audiences.progress(draft.id()));
        while (progress.calculating() && System.nanoTime() < deadline) {
            sleep();
            progress = as(member, () -> audiences.progress(draft.id()));
        }
        if (progress.calculating()) {
            throw new AssertionError("The calculation of \"" + name + "\" did not finish in 20 s");
        }
        return as(member, () -> audiences.audience(draft.id()));
    }

    private static <T> T as(Member member, java.util.function.Supplier<T> work) {
        return RunAs.member(member.getEmail(), member.getRole(), work);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
