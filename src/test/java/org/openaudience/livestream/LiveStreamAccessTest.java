package org.openaudience.livestream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.MemberForm;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An open Live Stream follows its member's access: the hub re-reads it (at most every {@code access-recheck}, 5 s)
 * and ends the subscription of a member who may no longer watch; roles without Users › Lookup never get identities.
 */
@IntegrationTest
class LiveStreamAccessTest {

    /** A little more than the hub's default {@code openaudience.livestream.access-recheck}. */
    static final Duration PAST_RECHECK = Duration.ofSeconds(6);

    @Autowired
    LiveStreamHub hub;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;

    TestMembers members;
    TestEvents events;
    Workspace workspace;
    Input input;
    Member watcher;
    Recorder watching;
    Recorder bystander;

    /** What a page would be told, in order; the hub calls it from its dispatcher thread. */
    static class Recorder implements StreamListener {
        final List<StreamEvent> rows = new CopyOnWriteArrayList<>();
        final List<String> endings = new CopyOnWriteArrayList<>();

        @Override
        public void onEvents(List<StreamEvent> events, int sampleRate) {
            rows.addAll(events);
        }

        @Override
        public void onAccessEnded(String reason) {
            endings.add(reason);
        }
    }

    static String batch(String customerId, String eventName) {
        return """
                {"environment":"development","user_identities":{"customer_id":"%s","email":"%s@example.com"},
                 "device_info":{"ios_idfv":"idfv-%s"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"%s"}}]}"""
                .formatted(customerId, customerId, customerId, eventName);
    }

    @BeforeEach
    void watchTheStream() {
        members = new TestMembers(team, workspaces);
        events = new TestEvents(inputs, ingestion, parser, clock, members);
        workspace = members.workspace("Watched");
        input = events.webInput(workspace);
        watcher = members.member(Role.USER, workspace);
        watching = subscribe(watcher);
        bystander = subscribe(members.member(Role.USER, workspace));

        events.send(input, batch("before", "Before the change"));
        hub.dispatch();
        assertThat(watching.rows).extracting(StreamEvent::eventName).containsExactly("Before the change");
    }

    @AfterEach
    void stopWatching() {
        hub.unsubscribe(workspace.id(), watching);
        hub.unsubscribe(workspace.id(), bystander);
        clock.reset();
    }

    private Recorder subscribe(Member member) {
        Recorder recorder = new Recorder();
        RunAs.member(member.getEmail(), member.getRole(), () -> {
            hub.subscribe(workspace.id(), recorder);
            return null;
        });
        return recorder;
    }

    /** The change lands, the hub's reading of the member grows old, then an event arrives. */
    private void afterTheRecheckAnEventArrives() {
        clock.advance(PAST_RECHECK);
        events.send(input, batch("after", "After the change"));
        hub.dispatch();
    }

    private void change(Role role, boolean allWorkspaces, Set<Long> workspaceIds) {
        members.asAdmin(() -> team.updateMember(watcher.getId(), new MemberForm(watcher.getName(),
                watcher.getEmail(), role, allWorkspaces, workspaceIds, null)));
    }

    private void assertTheWatcherWasToldAndGotNothingMore(String reason) {
        assertThat(watching.endings).containsExactly(reason);
        assertThat(watching.rows).extracting(StreamEvent::eventName).containsExactly("Before the change");
        assertThat(bystander.rows).extracting(StreamEvent::eventName)
                .containsExactly("Before the change", "After the change");
        assertThat(bystander.endings).isEmpty();
    }

    @Test
    void a_member_demoted_to_a_role_without_the_live_stream_gets_no_more_rows_and_is_told_why() {
        change(Role.AUDIENCES_ONLY, false, Set.of(workspace.id()));
        afterTheRecheckAnEventArrives();
        assertTheWatcherWasToldAndGotNothingMore("your role (Audiences Only) does not include the Live Stream");
    }

    @Test
    void a_deactivated_member_gets_no_more_rows_and_is_told_why() {
        members.asAdmin(() -> team.deactivateMember(watcher.getId()));
        afterTheRecheckAnEventArrives();
        assertTheWatcherWasToldAndGotNothingMore("your account is no longer active");
    }

    @Test
    void a_member_taken_out_of_the_workspace_gets_no_more_rows_and_is_told_why() {
        Workspace elsewhere = members.workspace("Elsewhere");
        change(Role.USER, false, Set.of(elsewhere.id()));
        afterTheRecheckAnEventArrives();
        assertTheWatcherWasToldAndGotNothingMore("you no longer have access to this workspace");
    }

    @Test
    void the_subscription_ends_at_the_recheck_even_when_no_event_arrives() {
        members.asAdmin(() -> team.deactivateMember(watcher.getId()));
        clock.advance(PAST_RECHECK);
        hub.dispatch();
        assertThat(watching.endings).containsExactly("your account is no longer active");
        assertThat(hub.isWatched(workspace.id())).as("the bystander still watches").isTrue();
    }

    @Test
    void a_member_still_allowed_keeps_watching_after_the_recheck() {
        change(Role.READ_ONLY, false, Set.of(workspace.id()));
        afterTheRecheckAnEventArrives();
        assertThat(watching.endings).isEmpty();
        assertThat(watching.rows).extracting(StreamEvent::eventName)
                .containsExactly("Before the change", "After the change");
    }

    @Test
    void roles_without_user_lookup_get_rows_without_identities() {
        Recorder readOnly = subscribe(members.member(Role.READ_ONLY, workspace));
        try {
            events.send(input, batch("private-1", "Identified"));
            hub.dispatch();
        } finally {
            hub.unsubscribe(workspace.id(), readOnly);
        }
        StreamEvent full = watching.rows.get(watching.rows.size() - 1);
        assertThat(full.identitiesJson()).contains("private-1@example.com");
        assertThat(full.deviceId()).isEqualTo("idfv-private-1");

        assertThat(readOnly.rows).singleElement().satisfies(hidden -> {
            assertThat(hidden.eventName()).isEqualTo("Identified");
            assertThat(hidden.mpid()).isEqualTo(full.mpid());
            assertThat(hidden.identitiesJson()).contains("customer_id", "email", StreamEvent.HIDDEN)
                    .doesNotContain("private-1");
            assertThat(hidden.deviceId()).isNull();
        });
    }
}
