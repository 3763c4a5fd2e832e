package org.openaudience.audience.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.ContextMenuKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.TestingLifecycleHookKt;
import com.vaadin.flow.component.internal.PendingJavaScriptInvocation;
import kotlin.Unit;
import kotlin.jvm.functions.Function1;
import org.junit.jupiter.api.AfterEach;
import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.menubar.MenuBar;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.audience.CalculationRun;
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
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audience page's header (the calculated size and the calculation's progress, pushed as they change, apart from
 * the estimate of unsaved edits) and its guard against losing unsaved edits.
 */
class AudiencePageTest extends KaribuTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Workspace workspace;
    Member user;

    static final Definition PARIS = Definition.of(EventCriterion.event("Play Video",
            Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "Paris")));

    /** Arguments of the page's JavaScript that arms the browser's guard, as the browser would receive them. */
    private final List<Object> armed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private List<Function1<PendingJavaScriptInvocation, Unit>> handlersBefore;

    @BeforeEach
    void recordTheGuardsArming() {
        handlersBefore = TestingLifecycleHookKt.getPendingJavascriptInvocationHandlers();
        List<Function1<PendingJavaScriptInvocation, Unit>> handlers = new java.util.ArrayList<>(handlersBefore);
        handlers.add(invocation -> {
            if (invocation.getInvocation().getExpression().contains("openAudienceUnsaved")) {
                armed.add(invocation.getInvocation().getParameters().get(0));
            }
            return Unit.INSTANCE;
        });
        TestingLifecycleHookKt.setPendingJavascriptInvocationHandlers(handlers);
    }

    @AfterEach
    void restoreHandlers() {
        TestingLifecycleHookKt.setPendingJavascriptInvocationHandlers(handlersBefore);
    }

    @BeforeEach
    void travelDataAndAUser() {
        workspace = members.workspace("Page");
        user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        var input = events.webInput(workspace);
        String[][] users = {{"paris", "premium"}, {"paris", "free"}, {"rome", "premium"}, {"paris", "Premium"}};
        for (int i = 0; i < users.length; i++) {
            events.send(input, """
                    {"user_identities":{"customer_id":"page-%d"},"user_attributes":{"status":"%s"},
                     "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                     "custom_attributes":{"category":"Destination Intro","destination":"%s"}}}]}"""
                    .formatted(i, users[i][1], users[i][0]));
        }
        login(user);
    }

    private <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    private Audience draft(String name, Definition definition) {
        return asUser(() -> audiences.createAudience(workspace.id(), name, null, definition));
    }

    /** An active audience whose first calculation is complete. */
    private Audience calculated(String name, Definition definition) {
        Audience audience = asUser(() -> audiences.activateAudience(draft(name, definition).id()));
        awaitCalculated(audience.id());
        return audience;
    }

    private void awaitCalculated(long audienceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (asUser(() -> audiences.progress(audienceId)).calculating() && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertThat(asUser(() -> audiences.progress(audienceId)).calculating()).isFalse();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private AudienceView open(Audience audience) {
        navigate("audiences/" + audience.id());
        return _get(AudienceView.class);
    }

    /** An unsaved edit: the first criterion deleted, as its trash button does. */
    private static void deleteFirstCriterion(AudienceView view) {
        _click(_get(view.builder, Button.class, spec -> spec.withAttribute("aria-label", "Delete criterion 1")));
    }

    private static void addSessionsCriterion(AudienceView view) {
        MenuBar add = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> menu.getItems().get(0).getText().equals("Add Criteria")).findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(add, "Sessions");
        _click(view.builder.openForm().done);
    }

    /** The values the page gave the browser's leave-the-app guard since the last call. */
    private List<Object> armings() {
        MockVaadin.clientRoundtrip();
        List<Object> since = List.copyOf(armed);
        armed.clear();
        return since;
    }

    @Test
    void the_header_shows_the_calculated_size_and_when_it_was_calculated_and_no_estimate_without_edits() {
        Audience audience = calculated("Paris viewers", PARIS);
        AudienceView view = open(audience);
        assertThat(view.header.size.getText()).isEqualTo("3 members");
        assertThat(view.header.calculatedAt.getText()).matches("calculated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");
        assertThat(view.header.progress.getText()).isEmpty();
        assertThat(view.totalEstimate.getText()).as("the real size is shown, not an estimate").isEmpty();
    }

    @Test
    void the_estimate_of_a_never_calculated_audience_gives_way_to_its_size_when_the_first_calculation_ends() {
        Audience audience = draft("Paris viewers", PARIS);
        AudienceView view = open(audience);
        assertThat(view.totalEstimate.getText()).isEqualTo("≈ 3 users estimated (from a 100% sample)");

        asUser(() -> audiences.activateAudience(audience.id()));
        awaitCalculated(audience.id());
        view.header.refresh();
        assertThat(view.header.size.getText()).isEqualTo("3 members");
        assertThat(view.totalEstimate.getText()).as("the real size is shown, not the estimate beside it").isEmpty();
    }

    @Test
    void attribute_indexes_still_being_built_for_the_audience_are_named_in_the_header_until_ready() {
        String seat = "seat_" + TestMembers.unique();
        Audience audience = draft("Window seats", Definition.of(EventCriterion.event("Play Video",
                Condition.of(seat, DataType.STRING, Operator.EXACT_MATCH, "window"))));
        jdbc.sql("INSERT INTO attribute_index (source, attribute, value_kind, status, created_at, status_changed_at)"
                + " VALUES ('EVENT', ?, 'TEXT', 'BUILDING', NOW(3), NOW(3))").param(seat).update();
        try {
            AudienceView view = open(audience);
            assertThat(view.header.indexing.getText()).isEqualTo("Preparing index: " + seat
                    + " (event attribute) waiting");
            jdbc.sql("UPDATE attribute_index SET status = 'READY' WHERE attribute = ?").param(seat).update();
            view.header.refresh();
            assertThat(view.header.indexing.getText()).isEmpty();
        } finally {
            jdbc.sql("DELETE FROM attribute_index WHERE attribute = ?").param(seat).update();
        }
    }

    @Test
    void a_running_calculation_shows_the_lists_pie_and_percentage_beside_the_last_size() {
        Audience audience = calculated("Paris viewers", PARIS);
        AudienceView view = open(audience);
        CalculationRun done = new CalculationRun(1, 1, org.openaudience.calculation.CalculationTrigger.ACTIVATION, "DONE",
                clock.instant(), clock.instant(), 1_204, 1_204L, null);
        view.header.show(new CalculationProgress(1_204, true, 16, 64, 1_152, null), done);
        assertThat(view.header.size.getText()).isEqualTo("1,204 members");
        assertThat(view.header.progress.getElement().getTextRecursively())
                .isEqualTo("Recalculating — 25%1,152 found so far");
        Span pie = _get(view.header.progress, Span.class, spec -> spec.withClasses("progress-pie"));
        assertThat(pie.getElement().getAttribute("title")).isEqualTo("Calculating — 25%");

        view.header.show(new CalculationProgress(0, true, 32, 64, 1, null), null);
        assertThat(view.header.size.getText()).as("no complete size before the first calculation").isEmpty();
        assertThat(view.header.progress.getElement().getTextRecursively()).isEqualTo("Calculating — 50%1 found so far");
        assertThat(view.header.calculatedAt.getText()).isEmpty();

        view.header.show(new CalculationProgress(1, false, 64, 64, 1, "Lock wait timeout"), done);
        assertThat(view.header.progress.getText()).isEqualTo("Last calculation failed");
        assertThat(view.header.progress.getElement().getAttribute("title")).isEqualTo("Lock wait timeout");
    }

    @Test
    void a_recalculation_started_elsewhere_reaches_the_open_page_by_push() {
        Audience audience = calculated("Paris viewers", PARIS);
        AudienceView view = open(audience);
        assertThat(view.header.size.getText()).isEqualTo("3 members");
        String before = view.header.calculatedAt.getText();
        clock.advance(Duration.ofMinutes(5)); // the new run finishes at a later minute
        asUser(() -> audiences.updateDefinition(audience.id(), new Definition(((Group) PARIS.root())
                .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium")), null)));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (view.header.size.getText().equals("3 members") && System.nanoTime() < deadline) {
            sleep(100);
            MockVaadin.runUIQueue(false); // what push delivers: the ticks the page's UI ran meanwhile
        }
        assertThat(view.header.size.getText()).isEqualTo("2 members");
        assertThat(view.header.calculatedAt.getText()).isNotEqualTo(before);
    }

    @Test
    void unsaved_edits_show_what_the_size_would_be_if_saved_with_plurals() {
        AudienceView view = open(calculated("Rome or free", new Definition(Group.of(EventCriterion.event(
                "Play Video", Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "Rome")))
                .then(Connector.OR, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "free")), null)));
        assertThat(view.totalEstimate.getText()).isEmpty();
        assertThat(_find(view.builder, Span.class, spec -> spec.withClasses("criterion-estimate")).stream()
                .map(Span::getText)).containsExactly("≈ 1 user", "≈ 1 user");
        _click(_get(view.builder, Button.class, spec -> spec.withAttribute("aria-label", "Delete criterion 2")));
        assertThat(view.totalEstimate.getText()).isEqualTo("≈ 1 user if saved (from a 100% sample)");
        assertThat(view.header.size.getText()).isEqualTo("2 members");

        navigate("audiences/" + draft("Paris draft", PARIS).id());
        ConfirmDialogKt._fireReject(_get(ConfirmDialog.class)); // discard the edit
        AudienceView draft = _get(AudienceView.class);
        assertThat(draft.title.getText()).isEqualTo("Paris draft");
        assertThat(draft.header.size.getText()).isEmpty();
        assertThat(draft.header.progress.getText()).isEqualTo("Not calculated yet");
        assertThat(draft.totalEstimate.getText()).as("a draft's saved criteria: an estimate is all there is")
                .isEqualTo("≈ 3 users estimated (from a 100% sample)");
    }

    @Test
    void a_criterions_estimate_stays_after_its_form_is_cancelled() {
        AudienceView view = open(draft("Paris draft", PARIS));
        Span estimate = _get(view.builder, Span.class, spec -> spec.withClasses("criterion-estimate"));
        assertThat(estimate.getText()).isEqualTo("≈ 3 users");
        _click(_get(view.builder, Button.class, spec -> spec.withAttribute("aria-label", "Edit criterion 1")));
        _click(view.builder.openForm().cancel);
        assertThat(_get(view.builder, Span.class, spec -> spec.withClasses("criterion-estimate")).getText())
                .isEqualTo("≈ 3 users");
    }

    @Test
    void removing_a_group_with_criteria_asks_first_and_an_empty_group_goes_at_once() {
        AudienceView view = open(draft("Grouped", PARIS));
        Supplier<Button> addGroup = () -> _find(view.builder, Button.class).stream()
                .filter(button -> "Add group".equals(button.getText())).findFirst().orElseThrow();
        _click(addGroup.get());
        _click(_get(view.builder, Button.class, spec -> spec.withText("Remove group")));
        assertThat(_find(ConfirmDialog.class)).as("an empty group loses nothing").isEmpty();
        assertThat(view.builder.tree().items()).hasSize(1);

        _click(addGroup.get());
        MenuBar addToGroup = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> "Add Criteria to group 2".equals(menu.getItems().get(0).getAriaLabel().orElse("")))
                .findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(addToGroup, "Sessions");
        _click(view.builder.openForm().done);
        _click(_get(view.builder, Button.class, spec -> spec.withText("Remove group")));
        ConfirmDialog confirm = _get(ConfirmDialog.class);
        assertThat(confirm.getElement().getProperty("header")).isEqualTo("Remove group 2 and its 1 criterion?");
        ConfirmDialogKt._fireCancel(confirm);
        confirm.close();
        assertThat(view.builder.tree().items()).hasSize(2);

        _click(_get(view.builder, Button.class, spec -> spec.withText("Remove group")));
        confirm = _get(ConfirmDialog.class);
        ConfirmDialogKt._fireConfirm(confirm);
        confirm.close();
        assertThat(view.builder.tree().items()).hasSize(1);
    }

    @Test
    void leaving_with_unsaved_edits_asks_and_stay_keeps_them() {
        Audience audience = draft("Paris draft", PARIS);
        AudienceView view = open(audience);
        deleteFirstCriterion(view);
        navigate("audiences");

        ConfirmDialog ask = _get(ConfirmDialog.class);
        assertThat(ask.getElement().getProperty("header")).isEqualTo("Leave without saving your edits to Paris draft?");
        assertThat(ask.getElement().getProperty("confirmText")).isEqualTo("Save as draft");
        assertThat(ask.getElement().getProperty("rejectText")).isEqualTo("Discard changes");
        assertThat(ask.getElement().getProperty("cancelText")).isEqualTo("Stay");
        ConfirmDialogKt._fireCancel(ask);
        ask.close();
        assertThat(_find(AudiencesView.class)).isEmpty();
        assertThat(_get(AudienceView.class).builder.tree().items()).as("the edit is still there").isEmpty();

        navigate("audiences");
        assertThat(_find(ConfirmDialog.class)).as("the same way out asks again").hasSize(1);
    }

    @Test
    void discard_leaves_and_the_saved_criteria_stay_as_they_were() {
        Audience audience = draft("Paris draft", PARIS);
        AudienceView view = open(audience);
        deleteFirstCriterion(view);
        navigate("audiences");
        ConfirmDialogKt._fireReject(_get(ConfirmDialog.class));
        assertThat(_find(AudiencesView.class)).hasSize(1);
        assertThat(audiences.audience(audience.id()).definition()).isEqualTo(PARIS);
    }

    @Test
    void save_as_draft_saves_the_edits_and_activates_nothing() {
        Audience audience = draft("Paris draft", PARIS);
        AudienceView view = open(audience);
        addSessionsCriterion(view);
        navigate("audiences");
        ConfirmDialogKt._fireConfirm(_get(ConfirmDialog.class));
        assertThat(_find(AudiencesView.class)).hasSize(1);
        Audience saved = audiences.audience(audience.id());
        assertThat(saved.definition().root().items()).hasSize(2);
        assertThat(saved.status()).isEqualTo(AudienceStatus.DRAFT);
        assertThat(audiences.progress(audience.id())).isEqualTo(CalculationProgress.NEVER);
    }

    @Test
    void on_an_active_audience_the_dialog_says_saving_recalculates_and_going_to_another_audience_asks_too() {
        Audience active = calculated("Paris viewers", PARIS);
        Audience other = draft("Other", PARIS);
        AudienceView view = open(active);
        addSessionsCriterion(view);
        navigate("audiences/" + other.id());

        ConfirmDialog ask = _get(ConfirmDialog.class);
        assertThat(ask.getElement().getProperty("confirmText")).isEqualTo("Save and recalculate");
        assertThat(ask.getElement().getProperty("message")).startsWith("Saving recalculates Paris viewers");
        ConfirmDialogKt._fireConfirm(ask);
        assertThat(_get(AudienceView.class).title.getText()).isEqualTo("Other");
        assertThat(audiences.audience(active.id()).definition().root().items()).hasSize(2);
        assertThat(audiences.audience(active.id()).definitionVersion()).isEqualTo(2);
    }

    @Test
    void saving_edits_that_cannot_be_saved_stays_on_the_page_and_says_why() {
        Audience active = calculated("Paris viewers", PARIS);
        AudienceView view = open(active);
        deleteFirstCriterion(view); // an active audience needs criteria
        navigate("audiences");
        ConfirmDialogKt._fireConfirm(_get(ConfirmDialog.class));
        assertThat(_find(AudiencesView.class)).isEmpty();
        assertThat(audiences.audience(active.id()).definition()).isEqualTo(PARIS);
    }

    @Test
    void an_open_criterion_form_offers_only_stay_or_discard() {
        AudienceView view = open(draft("Paris draft", PARIS));
        MenuBar add = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> menu.getItems().get(0).getText().equals("Add Criteria")).findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(add, "Sessions");
        navigate("audiences");
        ConfirmDialog ask = _get(ConfirmDialog.class);
        assertThat(ask.getElement().getProperty("confirmText")).isEqualTo("Stay");
        assertThat(ask.getElement().getProperty("cancelButtonVisible", false)).isFalse();
        ConfirmDialogKt._fireConfirm(ask);
        ask.close();
        assertThat(_find(AudiencesView.class)).isEmpty();
        assertThat(view.builder.openForm()).isNotNull();
    }

    @Test
    void a_page_without_unsaved_edits_leaves_without_asking() {
        open(draft("Paris draft", PARIS));
        navigate("audiences");
        assertThat(_find(ConfirmDialog.class)).isEmpty();
        assertThat(_find(AudiencesView.class)).hasSize(1);
    }

    @Test
    void the_browsers_leave_the_app_guard_is_armed_only_while_there_are_unsaved_edits() {
        AudienceView view = open(draft("Paris draft", PARIS));
        assertThat(armings()).containsExactly(false);
        addSessionsCriterion(view);
        assertThat(armings()).containsExactly(true);
        _click(view.saveDraft);
        assertThat(armings()).containsExactly(false);

        MenuBar add = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> menu.getItems().get(0).getText().equals("Add Criteria")).findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(add, "Sessions");
        assertThat(armings()).as("an open form is an unsaved edit").containsExactly(true);
        _click(view.builder.openForm().cancel);
        assertThat(armings()).containsExactly(false);
    }

    @Test
    void members_who_cannot_edit_are_never_asked() {
        Audience audience = draft("Paris draft", PARIS);
        switchMember(members.member(Role.READ_ONLY, workspace));
        open(audience);
        navigate("audiences");
        assertThat(_find(ConfirmDialog.class)).isEmpty();
    }
}
