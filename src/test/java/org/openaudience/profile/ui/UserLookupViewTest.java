package org.openaudience.profile.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.ShortcutsKt;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.QueryParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.event.StoredEvent;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.profile.LookupKind;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class UserLookupViewTest extends KaribuTest {

    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    Workspace workspace;

    @BeforeEach
    void aReadOnlyMemberOfAWorkspaceWithOneUser() {
        workspace = members.workspace("Lookup");
        Member member = members.member(Role.USER, workspace);
        RunAs.member(member.getEmail(), member.getRole(), () -> workspaces.switchTo(workspace.id()));
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Instant now = clock.instant();
        events.send(events.webInput(workspace), """
                {"environment":"development","user_identities":{"customer_id":"c-1","email":"a@b.com"},
                 "user_attributes":{"status":"Premium","$country":"FR"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                            "custom_event_type":"media","timestamp_unixtime_ms":%d,
                            "custom_attributes":{"destination":"Paris","duration":"12"}}},
                           {"event_type":"screen_view","data":{"screen_name":"Home","timestamp_unixtime_ms":%d}}]}"""
                .formatted(now.minus(Duration.ofMinutes(2)).toEpochMilli(),
                        now.minus(Duration.ofMinutes(1)).toEpochMilli()));
        login(member);
    }

    private UserLookupView lookUp(LookupKind kind, String value) {
        navigate("users/lookup");
        UserLookupView view = _get(UserLookupView.class);
        _setValue(view.kind, kind);
        _setValue(view.value, value);
        _click(view.lookUp);
        return view;
    }

    /** Opens the page as a link with these query parameters would. */
    private static void open(Map<String, String> parameters) {
        UI.getCurrent().navigate("users/lookup", QueryParameters.simple(parameters));
    }

    @Test
    void identity_conflicts_show_on_both_profiles_and_not_at_all_without_one() {
        assertThat(_get(lookUp(LookupKind.CUSTOMER_ID, "c-1").result, ProfilePanel.class).conflicts.isVisible())
                .isFalse();
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        events.send(events.webInput(workspace), "{\"user_identities\":{\"customer_id\":\"c-2\","
                + "\"email\":\"a@b.com\"}}");
        String holder = _get(lookUp(LookupKind.CUSTOMER_ID, "c-1").result, ProfilePanel.class).summary.valueOf("MPID");

        ProfilePanel claimant = _get(lookUp(LookupKind.CUSTOMER_ID, "c-2").result, ProfilePanel.class);
        assertThat(claimant.identities.valueOf("email")).as("not shown by the claimant").isNull();
        assertThat(claimant.conflicts.isVisible()).isTrue();
        assertThat(claimant.conflicts.valueOf("email a@b.com")).startsWith("Held by MPID " + holder
                + "; this user's data named it once, last ");
        String claimantMpid = claimant.summary.valueOf("MPID");
        assertThat(_get(lookUp(LookupKind.CUSTOMER_ID, "c-1").result, ProfilePanel.class).conflicts
                .valueOf("email a@b.com")).startsWith("Held by this user; MPID " + claimantMpid + "'s data named it once");
    }

    @Test
    void a_looked_up_user_shows_identities_attributes_and_latest_events() {
        UserLookupView view = lookUp(LookupKind.CUSTOMER_ID, "c-1");
        ProfilePanel profile = _get(view.result, ProfilePanel.class);

        assertThat(profile.summary.valueOf("MPID")).matches("-?\\d+");
        assertThat(profile.summary.valueOf("Platforms")).isEqualTo("web");
        assertThat(profile.summary.valueOf("Location")).contains("FR");
        assertThat(profile.identities.valueOf("customer_id")).isEqualTo("c-1");
        assertThat(profile.identities.valueOf("email")).isEqualTo("a@b.com");
        assertThat(profile.attributes.valueOf("status")).isEqualTo("Premium");

        LatestEventsGrid events = profile.events;
        assertThat(GridKt._size(events)).isEqualTo(2);
        StoredEvent newest = GridKt._get(events, 0);
        StoredEvent older = GridKt._get(events, 1);
        assertThat(newest.eventKey()).isEqualTo("Home");
        assertThat(older.eventKey()).isEqualTo("Play Video");
        assertThat(newest.eventTime()).isAfter(older.eventTime());
        assertThat(GridKt._getFormattedRow(events, 1)).containsSubsequence("custom_event", "Play Video", "web",
                "development", "destination: Paris, duration: 12");
    }

    @Test
    void email_lookup_ignores_case() {
        UserLookupView view = lookUp(LookupKind.EMAIL, "  A@B.com ");
        assertThat(_get(view.result, ProfilePanel.class).identities.valueOf("customer_id")).isEqualTo("c-1");
    }

    @Test
    void enter_in_the_form_looks_up() {
        navigate("users/lookup");
        UserLookupView view = _get(UserLookupView.class);
        assertThat(view.kind.getValue()).isEqualTo(LookupKind.CUSTOMER_ID);
        _setValue(view.value, "c-1");
        ShortcutsKt._fireShortcut(view.value.getParent().orElseThrow(), Key.ENTER);
        assertThat(_find(view.result, ProfilePanel.class)).hasSize(1);
    }

    @Test
    void a_link_with_the_mpid_opens_the_same_user() {
        String mpid = _get(lookUp(LookupKind.CUSTOMER_ID, "c-1").result, ProfilePanel.class).summary.valueOf("MPID");

        open(Map.of("mpid", mpid));
        UserLookupView view = _get(UserLookupView.class);
        assertThat(view.kind.getValue()).isEqualTo(LookupKind.MPID);
        assertThat(view.value.getValue()).isEqualTo(mpid);
        ProfilePanel profile = _get(view.result, ProfilePanel.class);
        assertThat(profile.identities.valueOf("customer_id")).isEqualTo("c-1");
        assertThat(GridKt._size(profile.events)).isEqualTo(2);

        assertThat(_get(lookUp(LookupKind.MPID, mpid).result, ProfilePanel.class).summary.valueOf("MPID"))
                .isEqualTo(mpid);
    }

    @Test
    void a_link_with_kind_and_value_looks_the_user_up() {
        open(Map.of("kind", "email", "value", "A@b.COM"));
        UserLookupView view = _get(UserLookupView.class);
        assertThat(view.kind.getValue()).isEqualTo(LookupKind.EMAIL);
        assertThat(_get(view.result, ProfilePanel.class).identities.valueOf("customer_id")).isEqualTo("c-1");

        open(Map.of("kind", "nickname", "value", "bob"));
        view = _get(UserLookupView.class);
        assertThat(view.kind.isInvalid()).isTrue();
        assertThat(_find(view.result, ProfilePanel.class)).isEmpty();
    }

    @Test
    void an_unknown_value_says_no_user_was_found() {
        UserLookupView view = lookUp(LookupKind.CUSTOMER_ID, "nobody");
        assertThat(_find(view.result, ProfilePanel.class)).isEmpty();
        assertThat(_get(view.result, Paragraph.class).getText())
                .isEqualTo("No user found for Customer ID nobody in " + workspace.name() + ".");
    }

    @Test
    void a_non_numeric_mpid_is_refused_next_to_the_field() {
        UserLookupView view = lookUp(LookupKind.MPID, "abc");
        assertThat(view.value.isInvalid()).isTrue();
        assertThat(view.value.getErrorMessage()).startsWith("An MPID is a whole number");
        assertThat(_find(view.result, ProfilePanel.class)).isEmpty();

        _setValue(view.value, "");
        _click(view.lookUp);
        assertThat(view.value.getErrorMessage()).isEqualTo("Enter a value to look up.");
    }
}
