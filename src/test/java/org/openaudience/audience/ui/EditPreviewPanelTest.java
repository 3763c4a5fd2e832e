package org.openaudience.audience.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.ContextMenuKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.menubar.MenuBar;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudiencePreview;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Build tab's "What changes?": shown on an active audience once its criteria are edited, with counts, the users
 * leaving and joining and the criterion deciding each, pushed after each edit; hidden without edits and on drafts;
 * a reason instead for criteria that cannot be saved; identity values hidden from Read Only.
 */
class EditPreviewPanelTest extends KaribuTest {

    static final Definition PARIS_VIEWERS = Definition.of(EventCriterion.event("Play Video",
            Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "Paris")));

    @Autowired
    AudienceService audiences;
    @Autowired
    AudiencePreview previews;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    Workspace workspace;
    Member user;

    /** Four travellers: three watched Paris (premium, free, trial), one watched Rome (premium). */
    @BeforeEach
    void travellers() {
        workspace = members.workspace("Preview");
        user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Input input = events.webInput(workspace);
        String[][] users = {{"paris-premium", "Paris", "premium"}, {"paris-free", "Paris", "free"},
                {"rome-premium", "Rome", "premium"}, {"paris-trial", "Paris", "trial"}};
        for (String[] traveller : users) {
            events.send(input, """
                    {"user_identities":{"customer_id":"%s","email":"%s@example.com"},
                     "user_attributes":{"status":"%s"},
                     "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                     "custom_attributes":{"destination":"%s"}}}]}""".formatted(traveller[0], traveller[0],
                    traveller[2], traveller[1]));
        }
        login(user);
    }

    Audience asUser(java.util.function.Supplier<Audience> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    Audience activeParisViewers() throws InterruptedException {
        Audience audience = asUser(() -> audiences.activateAudience(audiences.createAudience(workspace.id(),
                "Paris viewers", null, PARIS_VIEWERS).id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        CalculationProgress progress;
        do {
            Thread.sleep(50);
            progress = audiences.progress(audience.id());
        } while (progress.calculating() && System.nanoTime() < deadline);
        assertThat(progress.calculating()).isFalse();
        return audiences.audience(audience.id());
    }

    AudienceView open(Audience audience) {
        navigate("audiences/" + audience.id());
        return _get(AudienceView.class);
    }

    /** Adds "status Exact Match …" through the criteria editor, as a person would. */
    static void addStatus(AudienceView view, String status) {
        MenuBar add = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> menu.getItems().get(0).getText().equals("Add Criteria")).findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(add, "Users");
        UserCriterionForm users = (UserCriterionForm) view.builder.openForm();
        _setValue(users.subject, UserCriterionForm.Subject.ATTRIBUTE);
        _setValue(users.condition.attribute, "status");
        _setValue(users.condition.operator, Operator.EXACT_MATCH);
        _setValue(users.condition.text, status);
        _click(users.done);
    }

    static void delete(AudienceView view, String path) {
        _click(_find(view.builder, Button.class).stream()
                .filter(button -> ("Delete criterion " + path).equals(button.getElement().getAttribute("aria-label")))
                .findFirst().orElseThrow());
    }

    /** Waits for the worker's answer, then the round trip that applies what it pushed. */
    static void awaitAnswer(EditPreviewPanel panel) throws Exception {
        panel.delivered().handle((done, error) -> null).get(30, TimeUnit.SECONDS);
        MockVaadin.clientRoundtrip();
    }

    /** The deciding criteria, each above the users it decides. */
    static List<String> criteria(Component list) {
        return _find(list, com.vaadin.flow.component.html.Paragraph.class).stream()
                .filter(paragraph -> paragraph.hasClassName("edit-preview-criterion"))
                .map(com.vaadin.flow.component.html.Paragraph::getText).toList();
    }

    /** Each listed user as "who — what was found" (two lines on the page). */
    static List<String> items(Component list) {
        return _find(list, ListItem.class).stream().map(item -> item.getChildren()
                .map(line -> line.getElement().getTextRecursively()).collect(Collectors.joining(" — "))).toList();
    }

    @Test
    void an_edit_of_an_active_audience_shows_who_would_leave_and_join_and_why() throws Exception {
        Audience viewers = activeParisViewers();
        AudienceView view = open(viewers);
        assertThat(view.preview.isVisible()).as("nothing edited yet").isFalse();

        addStatus(view, "premium");
        assertThat(view.preview.isVisible()).isTrue();
        assertThat(view.preview.status.getText()).isEqualTo(
                "Comparing the edited criteria with the current members…");
        awaitAnswer(view.preview);
        assertThat(view.preview.hasClassName("updating")).isFalse();
        assertThat(view.preview.summary.getText()).isEqualTo("2 current members would leave and no user would join.");
        assertThat(view.preview.sample.getText()).isEqualTo("Exact: compared on all 4 profiles.");
        assertThat(_get(view.preview.leaving, H4.class).getText()).isEqualTo("Leaving · 2 users");
        long free = mpid("paris-free");
        long trial = mpid("paris-trial");
        assertThat(criteria(view.preview.leaving)).containsExactly(
                "Fails criterion 2 · User attribute status Exact Match premium");
        assertThat(items(view.preview.leaving)).containsExactlyInAnyOrder(
                free + " · customer_id: paris-free · email: paris-free@example.com — does not match",
                trial + " · customer_id: paris-trial · email: paris-trial@example.com — does not match");
        Anchor link = _find(view.preview.leaving, Anchor.class).stream()
                .filter(anchor -> anchor.getText().equals(Long.toString(free))).findFirst().orElseThrow();
        assertThat(link.getHref()).isEqualTo("users/lookup?mpid=" + free);
        assertThat(items(view.preview.joining)).isEmpty();

        delete(view, "2");
        assertThat(view.preview.isVisible()).as("back to the saved criteria: nothing changes").isFalse();
    }

    @Test
    void each_edit_refreshes_it_and_a_joiner_shows_the_saved_criterion_that_kept_them_out() throws Exception {
        Audience viewers = activeParisViewers();
        AudienceView view = open(viewers);
        addStatus(view, "premium");
        // a second edit at once: only its answer is shown
        connector(view, Connector.OR);
        awaitAnswer(view.preview);
        assertThat(view.preview.summary.getText()).isEqualTo("No current member would leave and 1 user would join.");
        assertThat(_get(view.preview.joining, H4.class).getText()).isEqualTo("Joining · 1 user");
        assertThat(criteria(view.preview.joining)).containsExactly(
                "Failed saved criterion 1 · Play Video · destination Exact Match Paris · > 0 in the last 30 days");
        assertThat(items(view.preview.joining)).containsExactly(mpid("rome-premium")
                + " · customer_id: rome-premium · email: rome-premium@example.com — 0 matching events in the last"
                + " 30 days, needs > 0");
        assertThat(items(view.preview.leaving)).isEmpty();

        connector(view, Connector.AND);
        assertThat(view.preview.status.getText()).isEqualTo("Updating…");
        assertThat(view.preview.hasClassName("updating")).as("the old answer dimmed meanwhile").isTrue();
        awaitAnswer(view.preview);
        assertThat(view.preview.summary.getText()).isEqualTo("2 current members would leave and no user would join.");
    }

    static void connector(AudienceView view, Connector connector) {
        _setValue(_find(view.builder, com.vaadin.flow.component.select.Select.class).stream()
                .filter(select -> "Connector before 2".equals(select.getAriaLabel().orElse(null))).findFirst()
                .orElseThrow(), connector);
    }

    @Test
    void criteria_that_cannot_be_saved_get_a_reason_instead_of_numbers() throws Exception {
        AudienceView view = open(activeParisViewers());
        delete(view, "1");
        awaitAnswer(view.preview);
        assertThat(view.preview.isVisible()).isTrue();
        assertThat(view.preview.status.getText()).isEqualTo(
                "No preview until the criteria can be saved: Add at least one criterion.");
        assertThat(view.preview.status.hasClassName("edit-preview-problem")).isTrue();
        assertThat(view.preview.summary.getText()).isEmpty();
        assertThat(items(view.preview)).isEmpty();
    }

    @Test
    void a_draft_has_no_members_to_compare_so_it_shows_no_preview() throws Exception {
        Audience draft = asUser(() -> audiences.createAudience(workspace.id(), "Draft viewers", null,
                PARIS_VIEWERS));
        AudienceView view = open(draft);
        addStatus(view, "premium");
        assertThat(view.builder.tree().items()).hasSize(2);
        assertThat(view.preview.isVisible()).isFalse();
        assertThat(view.preview.delivered().isDone()).as("nothing started").isTrue();
        assertThat(view.totalEstimate.getText()).as("the estimate still runs").startsWith("≈ 1 user if saved");
    }

    @Test
    void read_only_members_cannot_edit_and_the_panel_shows_them_identity_types_without_values() throws Exception {
        Audience viewers = activeParisViewers();
        Member readOnly = members.member(Role.READ_ONLY, workspace);
        switchMember(readOnly);
        AudienceView view = open(viewers);
        assertThat(_find(view.builder, MenuBar.class)).as("no edits, so nothing to preview").isEmpty();
        assertThat(view.preview.isVisible()).isFalse();

        EditPreviewPanel panel = new EditPreviewPanel(previews, id -> "#" + id);
        UI.getCurrent().add(panel);
        panel.show(viewers, new Definition(Group.of(PARIS_VIEWERS.root().items().get(0).node())
                .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium")), Set.of()));
        awaitAnswer(panel);
        assertThat(panel.summary.getText()).isEqualTo("2 current members would leave and no user would join.");
        assertThat(items(panel.leaving)).hasSize(2).allSatisfy(item -> assertThat(item)
                .contains(" · customer_id, email: hidden for your role — does not match")
                .doesNotContain("example.com"));
        assertThat(_find(panel.leaving, Anchor.class)).as("no link to Users › Lookup").isEmpty();
        assertThat(_find(panel.leaving, Span.class).stream().map(Span::getText))
                .contains(Long.toString(mpid("paris-free")));
    }

    long mpid(String customer) {
        return context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("SELECT mpid FROM profile_identity WHERE workspace_id = ? AND identity_type = 'customer_id'"
                        + " AND identity_value = ?").params(workspace.id(), customer).query(Long.class).single();
    }
}
