package org.openaudience.livestream.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.livestream.LiveStreamHub;
import org.openaudience.livestream.StreamEvent;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.MemberForm;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class LiveStreamViewTest extends KaribuTest {

    @Autowired
    LiveStreamHub hub;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    TestEvents events;
    Input input;
    Workspace workspace;
    Member watcher;
    LiveStreamView view;

    static String batch(String environment, String customerId, String eventName) {
        return """
                {"environment":"%s","user_identities":{"customer_id":"%s","email":"%s@example.com"},
                 "user_attributes":{"status":"Premium"},"device_info":{"platform":"iOS","ios_idfv":"idfv-%s",
                 "os_version":"17.4"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"%s","custom_event_type":"media",
                   "custom_attributes":{"destination":"Paris"},"location":{"latitude":48.85,"longitude":2.35}}}]}"""
                .formatted(environment, customerId, customerId, customerId, eventName);
    }

    @BeforeEach
    void openLiveStream() {
        workspace = members.workspace("Stream");
        events = new TestEvents(inputs, ingestion, parser, clock, members);
        input = events.webInput(workspace);
        watchAs(Role.READ_ONLY);
    }

    /** A new member of the role opens the workspace's Live Stream (in a new session after the first). */
    void watchAs(Role role) {
        Member member = members.member(role, workspace);
        RunAs.member(member.getEmail(), role, () -> workspaces.switchTo(workspace.id()));
        if (watcher == null) {
            login(member);
        } else {
            switchMember(member);
        }
        watcher = member;
        navigate("data/live-stream");
        view = _get(LiveStreamView.class);
    }

    /** What the dispatcher thread does every 200 ms, then the browser round trip that applies pushed changes. */
    void deliver() {
        hub.dispatch();
        MockVaadin.clientRoundtrip();
    }

    @Test
    void development_events_appear_newest_first_and_production_only_when_asked() {
        events.send(input, batch("development", "dev-1", "Play Video"));
        events.send(input, batch("production", "prod-1", "Purchase Trip"));
        events.send(input, batch("development", "dev-2", "Search"));
        deliver();

        assertThat(GridKt._size(view.grid)).isEqualTo(2);
        assertThat(GridKt._getFormatted(view.grid, 0, "name")).isEqualTo("Search");
        assertThat(GridKt._getFormatted(view.grid, 1, "name")).isEqualTo("Play Video");

        _setValue(view.filters.environment, StreamFilters.BOTH);
        assertThat(GridKt._size(view.grid)).isEqualTo(3);
        _setValue(view.filters.environment, "Production");
        assertThat(GridKt._getFormatted(view.grid, 0, "name")).isEqualTo("Purchase Trip");
    }

    @Test
    void filters_by_input_event_type_and_device_or_mpid_apply_to_kept_rows() {
        watchAs(Role.USER);
        events.send(input, batch("development", "u-1", "Play Video"));
        events.send(input, batch("development", "u-2", "Search"));
        deliver();
        assertThat(GridKt._size(view.grid)).isEqualTo(2);

        _setValue(view.filters.deviceOrMpid, "idfv-u-2");
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._getFormatted(view.grid, 0, "name")).isEqualTo("Search");
        assertThat(view.filters.deviceOrMpid.getListDataView().getItems()).contains("idfv-u-1", "idfv-u-2");
        _setValue(view.filters.deviceOrMpid, null);

        _setValue(view.filters.eventTypes, Set.of("screen_view"));
        assertThat(GridKt._size(view.grid)).isZero();
        _setValue(view.filters.eventTypes, Set.of());
        _setValue(view.filters.inputs, Set.copyOf(view.filters.inputs.getListDataView().getItems().toList()));
        assertThat(GridKt._size(view.grid)).isEqualTo(2);
    }

    @Test
    void pause_holds_the_rows_resume_continues_and_clear_empties() {
        _click(view.pause);
        events.send(input, batch("development", "p-1", "Play Video"));
        deliver();
        assertThat(GridKt._size(view.grid)).isZero();
        assertThat(view.status.getText()).contains("Paused", "1 waiting, shown on Resume");

        _click(view.pause);
        assertThat(view.pause.getText()).isEqualTo("Pause");
        assertThat(GridKt._size(view.grid)).as("what arrived while paused").isEqualTo(1);
        events.send(input, batch("development", "p-2", "Search"));
        deliver();
        assertThat(GridKt._size(view.grid)).isEqualTo(2);
        assertThat(GridKt._getFormatted(view.grid, 0, "name")).isEqualTo("Search");

        _click(view.clear);
        assertThat(GridKt._size(view.grid)).isZero();
    }

    @Test
    void selecting_a_row_pauses_and_shows_details_and_raw_json() {
        watchAs(Role.USER);
        events.send(input, batch("development", "d-1", "Play Video"));
        deliver();
        view.grid.select(GridKt._get(view.grid, 0));

        assertThat(view.pause.getText()).isEqualTo("Resume");
        assertThat(view.details.isVisible()).isTrue();
        String text = view.details.sections.getElement().getTextRecursively();
        assertThat(text).contains("Event details", "Play Video", "media", "Attributes", "destination", "Paris",
                "User identities", "d-1@example.com", "User attributes", "Premium", "Device info", "17.4",
                "Location", "48.85");
        _click(view.details.rawJson);
        RawJsonDialog raw = _get(RawJsonDialog.class);
        assertThat(raw.json.getText()).contains("\"event_type\" : \"custom_event\"", "\"event_name\" : \"Play Video\"");
    }

    @Test
    void every_cell_has_its_full_value_in_a_tooltip_and_the_device_id_is_in_event_details() {
        watchAs(Role.USER);
        events.send(input, batch("development", "tip-1", "A rather long event name that will not fit its column"));
        deliver();
        StreamEvent row = GridKt._get(view.grid, 0);
        for (String key : java.util.List.of("time", "direction", "type", "name", "input", "environment", "user",
                "status")) {
            assertThat(view.grid.getColumnByKey(key).getTooltipGenerator().apply(row)).as(key)
                    .isEqualTo(GridKt._getFormatted(view.grid, 0, key)).isNotBlank();
        }
        assertThat(view.grid.getColumnByKey("user").getTooltipGenerator().apply(row))
                .isEqualTo(row.mpid().toString());
        view.grid.select(row);
        assertThat(view.details.sections.getElement().getTextRecursively())
                .contains("MPID" + row.mpid(), "Device IDidfv-tip-1", "Environmentdevelopment",
                        "Event typecustom_event");
    }

    @Test
    void read_only_sees_identity_types_but_not_their_values_in_event_details_and_raw_json() {
        events.send(input, batch("development", "secret-1", "Play Video"));
        events.send(input, """
                {"environment":"development","user_identities":{"customer_id":"secret-2"},
                 "events":[{"event_type":"user_identity_change","data":{
                   "old":{"identity_type":"email","identity":"old-secret@example.com"},
                   "new":{"identity_type":"email","identity":"new-secret@example.com"}}}]}""");
        deliver();
        assertThat(GridKt._size(view.grid)).isEqualTo(2);
        assertThat(view.filters.deviceOrMpid.getListDataView().getItems()).noneMatch(id -> id.contains("secret"));

        view.grid.select(GridKt._get(view.grid, 1));
        String text = view.details.sections.getElement().getTextRecursively();
        assertThat(text).contains("User identities", "customer_id", "email", StreamEvent.HIDDEN, "Premium")
                .doesNotContain("secret-1");
        _click(view.details.rawJson);
        assertThat(_get(RawJsonDialog.class).json.getText()).contains("Play Video").doesNotContain("secret");
        _get(RawJsonDialog.class).close();

        view.grid.select(GridKt._get(view.grid, 0));
        assertThat(view.details.sections.getElement().getTextRecursively()).doesNotContain("secret");
        _click(view.details.rawJson);
        assertThat(_get(RawJsonDialog.class).json.getText())
                .contains("\"identity_type\" : \"email\"", StreamEvent.HIDDEN).doesNotContain("secret");
    }

    @Test
    void a_member_demoted_while_watching_sees_why_the_stream_ended_and_no_more_rows() {
        events.send(input, batch("development", "e-1", "Before"));
        deliver();
        view.grid.select(GridKt._get(view.grid, 0));
        _click(view.details.rawJson);

        members.asAdmin(() -> team.updateMember(watcher.getId(), new MemberForm(watcher.getName(),
                watcher.getEmail(), Role.AUDIENCES_ONLY, true, Set.of(), null)));
        clock.advance(Duration.ofSeconds(6));
        events.send(input, batch("development", "e-2", "After"));
        deliver();

        assertThat(view.getElement().getTextRecursively()).isEqualTo(LiveStreamView.ACCESS_ENDED
                + ": your role (Audiences Only) does not include the Live Stream.");
        _assertNone(Grid.class);
        _assertNone(RawJsonDialog.class);
        assertThat(hub.isWatched(workspace.id())).isFalse();
    }

    @Test
    void a_member_demoted_since_signing_in_who_opens_the_page_is_told_instead_of_an_error() {
        Member demoted = members.member(Role.USER, workspace);
        RunAs.member(demoted.getEmail(), Role.USER, () -> workspaces.switchTo(workspace.id()));
        members.asAdmin(() -> team.updateMember(demoted.getId(), new MemberForm(demoted.getName(),
                demoted.getEmail(), Role.AUDIENCES_ONLY, true, Set.of(workspace.id()), null)));
        switchMember(demoted); // still signed in as a User, as a browser session from before the change
        navigate("data/live-stream");

        LiveStreamView page = _get(LiveStreamView.class);
        assertThat(page.getElement().getTextRecursively()).startsWith(LiveStreamView.ACCESS_ENDED + ": ")
                .contains("Audiences Only");
        _assertNone(Grid.class);
        assertThat(hub.isWatched(workspace.id())).isFalse();
    }

    @Test
    void more_events_than_a_page_can_show_are_sampled_and_said_so() {
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            bulk.append(i == 0 ? "" : ",").append(batch("development", "s-" + i, "Play Video"));
        }
        ingestion.ingest(input, parser.parseBulk(bulk.append("]").toString().getBytes(), "web", clock.instant()));
        deliver();
        assertThat(GridKt._size(view.grid)).isEqualTo(50);
        assertThat(view.status.getText()).contains("showing 1 in 2 events");
    }

    @Test
    void leaving_the_page_unsubscribes_it() {
        int subscribed = hub.subscriberCount();
        assertThat(subscribed).isPositive();
        navigate("");
        assertThat(hub.subscriberCount()).isEqualTo(subscribed - 1);
        UI.getCurrent().close();
    }
}
