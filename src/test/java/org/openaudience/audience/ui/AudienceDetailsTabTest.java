package org.openaudience.audience.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.NotificationsKt;
import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.menubar.MenuBar;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.CalculationRun;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationTrigger;
import org.openaudience.calculation.RealTimeMembership;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.input.InputSummary;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audience page's Details tab: inputs changed after creation, each definition version's changes inline,
 * restoring a version, and calculation runs with their trigger and size at completion.
 */
class AudienceDetailsTabTest extends KaribuTest {

    static final Definition PLAYED = Definition.of(EventCriterion.event("Play Video"));
    static final EventCriterion SESSIONS = new EventCriterion(EventKind.SESSION, null, null, null, null, null);

    @Autowired
    AudienceService audiences;
    @Autowired
    AudienceHistory history;
    @Autowired
    CalculationEngine engine;
    @Autowired
    RealTimeMembership realTime;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    Workspace workspace;
    Member user;
    TestEvents events;
    Input web;
    Input other;

    /** Three players through the first input, one through the second. */
    @BeforeEach
    void playersThroughTwoInputs() {
        workspace = members.workspace("Details");
        user = members.member(Role.USER, workspace);
        events = new TestEvents(inputs, ingestion, parser, clock, members);
        web = events.webInput(workspace);
        other = events.webInput(workspace);
        for (int i = 0; i < 4; i++) {
            play(i < 3 ? web : other, "details-" + i);
        }
        login(user);
    }

    void play(Input input, String customerId) {
        events.send(input, """
                {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video"}}]}""".formatted(customerId));
    }

    <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    Audience active(String name, Definition definition) throws InterruptedException {
        Audience draft = audiences.createAudience(workspace.id(), name, null, definition);
        audiences.activateAudience(draft.id());
        awaitCalculated(draft.id());
        return audiences.audience(draft.id());
    }

    void awaitCalculated(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (engine.progress(audienceId).calculating() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.progress(audienceId).calculating()).isFalse();
    }

    /** The audience's page with its Details tab open. */
    AudienceView details(Audience audience) {
        navigate("audiences/" + audience.id());
        AudienceView view = _get(AudienceView.class);
        view.tabs.setSelectedIndex(3); // Build, A/B Test, Connect, Details
        MockVaadin.clientRoundtrip();
        assertThat(view.tabs.getSelectedTab().getLabel()).isEqualTo("Details");
        return view;
    }

    /** Adds a Sessions criterion on the Build tab without saving it, then opens the Details tab again. */
    static void addSessionsUnsaved(AudienceView view) {
        view.tabs.setSelectedIndex(0);
        MockVaadin.clientRoundtrip();
        MenuBar add = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> menu.getItems().get(0).getText().equals("Add Criteria")).findFirst().orElseThrow();
        com.github.mvysny.kaributesting.v10.ContextMenuKt._clickItemWithCaption(add, "Sessions");
        _click(view.builder.openForm().done);
        view.tabs.setSelectedIndex(3);
        MockVaadin.clientRoundtrip();
    }

    static InputSummary summary(Input input) {
        return new InputSummary(input.id(), input.name(), input.platform());
    }

    /** Opens a version's changes with its Changes button. */
    static Component diffOf(VersionHistory grid, int row) {
        _click((Button) GridKt._getCellComponent(grid, row, "diff"));
        return GridKt._getItemDetailsComponent(grid, row);
    }

    static List<String> lines(Component diff) {
        return _find(diff, ListItem.class).stream().map(item -> item.getElement().getTextRecursively()).toList();
    }

    @Test
    void changing_the_inputs_of_a_draft_saves_a_version_with_the_same_criteria_and_keeps_unsaved_edits() {
        Audience draft = audiences.createAudience(workspace.id(), "Watchers", null, PLAYED);
        AudienceView view = details(draft);
        InputsEditor editor = view.details.inputs;
        assertThat(editor.inputs.getValue()).as("all inputs count").containsExactlyInAnyOrder(summary(web),
                summary(other));
        addSessionsUnsaved(view);

        _click(editor.save);
        assertThat(editor.inputs.isInvalid()).isTrue();
        assertThat(editor.inputs.getErrorMessage()).startsWith("These are the audience's inputs already");
        _setValue(editor.inputs, Set.of());
        _click(editor.save);
        assertThat(editor.inputs.getErrorMessage()).isEqualTo("Choose at least one input; choose them all for "
                + "every input's events.");
        assertThat(audiences.audience(draft.id()).definitionVersion()).as("refused: nothing saved").isEqualTo(1);

        _setValue(editor.inputs, Set.of(summary(web)));
        _click(editor.save);

        NotificationsKt.expectNotifications("Saved the inputs of Watchers as version 2");
        Audience saved = audiences.audience(draft.id());
        assertThat(saved.definitionVersion()).isEqualTo(2);
        assertThat(saved.definition()).isEqualTo(new Definition(PLAYED.root(), Set.of(web.id())));
        assertThat(editor.inputs.isInvalid()).isFalse();
        assertThat(VersionHistory.summary(GridKt._get(view.details.history, 0)))
                .isEqualTo("1 change: changed the inputs: all inputs → " + web.name());
        assertThat(view.builder.tree().items()).as("the editor keeps its unsaved edit").hasSize(2);

        _click(view.saveDraft);
        assertThat(audiences.audience(draft.id()).definition().inputIds())
                .as("the editor saves its criteria with the new inputs").containsExactly(web.id());
        assertThat(audiences.audience(draft.id()).definition().root().items()).hasSize(2);
    }

    @Test
    void inputs_of_another_workspace_are_refused_on_the_field_and_nothing_is_saved() {
        Audience draft = audiences.createAudience(workspace.id(), "Watchers", null, PLAYED);
        Workspace elsewhere = members.workspace("Elsewhere");
        Input foreign = events.webInput(elsewhere);
        InputsEditor editor = details(draft).details.inputs;
        // as if the list were stale: the field offers an input the workspace does not have
        editor.show(List.of(summary(web), summary(other), summary(foreign)), Set.of());

        _setValue(editor.inputs, Set.of(summary(foreign)));
        _click(editor.save);

        assertThat(editor.inputs.isInvalid()).isTrue();
        assertThat(editor.inputs.getErrorMessage()).isEqualTo("Input " + foreign.id() + " is not an input of this "
                + "workspace.");
        NotificationsKt.expectNotifications("The inputs were not saved: Input " + foreign.id() + " is not an "
                + "input of this workspace.");
        assertThat(audiences.audience(draft.id()).definitionVersion()).isEqualTo(1);
    }

    @Test
    void changing_the_inputs_of_an_active_audience_asks_as_an_edit_does_then_recalculates() throws Exception {
        Audience audience = active("Watchers", PLAYED);
        InputsEditor editor = details(audience).details.inputs;
        _setValue(editor.inputs, Set.of(summary(web)));

        _click(editor.save);
        ConfirmDialog ask = _get(ConfirmDialog.class);
        assertThat(ask.getElement().getProperty("header")).isEqualTo("Recalculate Watchers?");
        assertThat(ask.getElement().getProperty("message")).startsWith("The audience recalculates with the new "
                + "inputs. Outputs and downloads keep the current members");
        ConfirmDialogKt._fireCancel(ask);
        ask.close(); // the browser closes it
        assertThat(audiences.audience(audience.id()).definitionVersion()).as("cancelled").isEqualTo(1);

        _click(editor.save);
        ConfirmDialogKt._fireConfirm(_get(ConfirmDialog.class));
        NotificationsKt.expectNotifications("Saved the inputs of Watchers as version 2; recalculating");
        awaitCalculated(audience.id());
        assertThat(engine.progress(audience.id()).size()).as("only the first input's players").isEqualTo(3);
        CalculationRun newest = asUser(() -> history.runs(audience.id())).get(0);
        assertThat(newest.trigger()).isEqualTo(CalculationTrigger.EDIT);
        assertThat(newest.definitionVersion()).isEqualTo(2);
    }

    @Test
    void a_version_opens_its_changes_inline_added_removed_changed_connector_and_inputs() {
        Definition before = new Definition(Group.of(EventCriterion.event("Play Video"))
                .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium"))
                .then(Connector.AND, EventCriterion.event("Search")), Set.of());
        Definition after = new Definition(Group.of(EventCriterion.event("Play Video", Condition.of("destination",
                        DataType.STRING, Operator.EXACT_MATCH, "Paris")))
                .then(Connector.OR, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium"))
                .then(Connector.AND, Group.of(EventCriterion.event("Purchase"))), Set.of(other.id()));
        Audience audience = audiences.createAudience(workspace.id(), "Diffed", null, before);
        audiences.updateDefinition(audience.id(), after);
        VersionHistory grid = details(audience).details.history;
        assertThat(GridKt._size(grid)).isEqualTo(2);

        Component diff = diffOf(grid, 0);

        assertThat(_get(diff, Paragraph.class).getText()).isEqualTo("5 changes against version 1:");
        assertThat(lines(diff)).containsExactly(
                "Changedcriterion 1:− \"Play Video · > 0 in the last 30 days\"+ \"Play Video · destination Exact "
                        + "Match Paris · > 0 in the last 30 days\"",
                "Connectorbefore criterion 2: And → Or",
                "Removedcriterion 3: \"Search · > 0 in the last 30 days\"",
                "Group addedgroup 3: (\"Purchase · > 0 in the last 30 days\")",
                "Inputsall inputs → " + other.name());
        assertThat(_find(diff, Button.class)).extracting(Button::getText)
                .as("the newest version is the current definition: nothing to restore").isEmpty();

        Component first = diffOf(grid, 1);
        assertThat(_get(first, Paragraph.class).getText()).isEqualTo("Created with all inputs:");
        assertThat(lines(first)).containsExactly("Addedcriterion 1: \"Play Video · > 0 in the last 30 days\"",
                "Addedcriterion 2: \"User attribute status Exact Match premium\"",
                "Addedcriterion 3: \"Search · > 0 in the last 30 days\"");
        assertThat(_find(first, Button.class)).extracting(Button::getText).containsExactly("Restore version 1");
    }

    @Test
    void restoring_a_version_of_a_draft_saves_it_as_the_newest_and_shows_it_in_the_editor() {
        Definition sessions = Definition.of(SESSIONS);
        Audience draft = audiences.createAudience(workspace.id(), "Restored", null, PLAYED);
        audiences.updateDefinition(draft.id(), sessions);
        AudienceView view = details(draft);
        assertThat(view.builder.tree()).isEqualTo(sessions.root());

        _click(_get(diffOf(view.details.history, 1), Button.class, spec -> spec.withText("Restore version 1")));
        ConfirmDialog ask = _get(ConfirmDialog.class);
        assertThat(ask.getElement().getProperty("header")).isEqualTo("Restore version 1?");
        assertThat(ask.getElement().getProperty("message")).isEqualTo("Version 1's criteria and inputs are saved as "
                + "version 3, the newest; the versions between stay in the history.");
        ConfirmDialogKt._fireConfirm(ask);

        NotificationsKt.expectNotifications("Restored version 1 of Restored as version 3");
        Audience restored = audiences.audience(draft.id());
        assertThat(restored.definitionVersion()).isEqualTo(3);
        assertThat(restored.definition()).isEqualTo(PLAYED);
        assertThat(restored.status().label()).isEqualTo("Draft");
        assertThat(view.builder.tree()).as("the editor shows the restored criteria").isEqualTo(PLAYED.root());
        assertThat(GridKt._size(view.details.history)).isEqualTo(3);
        assertThat(VersionHistory.summary(GridKt._get(view.details.history, 0)))
                .isEqualTo("1 change: changed criterion 1: \"Sessions · > 0 in the last 30 days\" → \"Play Video "
                        + "· > 0 in the last 30 days\"");
        assertThat(_get(diffOf(view.details.history, 2), com.vaadin.flow.component.html.Span.class,
                spec -> spec.withClasses("version-note")).getText())
                .isEqualTo("Same criteria and inputs as the current definition (version 3).");
    }

    @Test
    void restoring_a_version_of_an_active_audience_asks_as_an_edit_does_and_recalculates() throws Exception {
        Audience audience = active("Live restore", PLAYED);
        audiences.updateDefinition(audience.id(), new Definition(PLAYED.root(), Set.of(other.id())));
        awaitCalculated(audience.id());
        AudienceView view = details(audience);
        addSessionsUnsaved(view);

        _click(_get(diffOf(view.details.history, 1), Button.class, spec -> spec.withText("Restore version 1")));
        ConfirmDialog ask = _get(ConfirmDialog.class);
        assertThat(ask.getElement().getProperty("header")).isEqualTo("Recalculate Live restore?");
        assertThat(ask.getElement().getProperty("message")).isEqualTo("Version 1's criteria and inputs are saved as "
                + "version 3, the newest; the versions between stay in the history. Your unsaved edits on the Build "
                + "tab are replaced. The audience recalculates with it. Outputs and downloads keep the current "
                + "members until the new calculation is complete.");
        assertThat(ask.getElement().getProperty("confirmText")).isEqualTo("Save and recalculate");
        ConfirmDialogKt._fireConfirm(ask);

        NotificationsKt.expectNotifications("Restored version 1 of Live restore as version 3; recalculating");
        awaitCalculated(audience.id());
        assertThat(engine.progress(audience.id()).size()).isEqualTo(4);
        assertThat(view.builder.tree()).isEqualTo(PLAYED.root());
        CalculationRun newest = asUser(() -> history.runs(audience.id())).get(0);
        assertThat(newest.trigger()).isEqualTo(CalculationTrigger.EDIT);
        assertThat(newest.definitionVersion()).isEqualTo(3);
    }

    @Test
    void a_restore_after_someone_else_saved_is_refused_and_changes_nothing() {
        Audience draft = audiences.createAudience(workspace.id(), "Raced", null, PLAYED);
        audiences.updateDefinition(draft.id(), Definition.of(SESSIONS));
        AudienceView view = details(draft);
        Button restore = _get(diffOf(view.details.history, 1), Button.class,
                spec -> spec.withText("Restore version 1"));
        audiences.updateDefinition(draft.id(), Definition.of(EventCriterion.event("Search"))); // another tab

        _click(restore);
        ConfirmDialogKt._fireConfirm(_get(ConfirmDialog.class));

        NotificationsKt.expectNotifications("Someone saved version 3 of the definition meanwhile, so nothing was "
                + "saved. Reload the page to see it, then try again.");
        assertThat(audiences.audience(draft.id()).definitionVersion()).isEqualTo(3);
    }

    @Test
    void runs_show_the_trigger_and_the_size_at_completion_not_the_size_real_time_changed_since() throws Exception {
        Audience audience = active("Sized", PLAYED);
        audiences.updateDefinition(audience.id(), new Definition(PLAYED.root(), Set.of(web.id())));
        awaitCalculated(audience.id());
        play(web, "details-late"); // joins in real time: the complete run's live size grows to 4
        realTime.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (engine.progress(audience.id()).size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            realTime.flush();
        }
        assertThat(engine.progress(audience.id()).size()).isEqualTo(4);

        CalculationRuns runs = details(audience).details.runs;

        assertThat(GridKt._size(runs)).isEqualTo(2);
        List<String> edit = GridKt._getFormattedRow(runs, 0);
        List<String> activation = GridKt._getFormattedRow(runs, 1);
        List<String> headers = runs.getColumns().stream().map(column -> column.getKey()).toList();
        assertThat(headers).containsExactly("run", "version", "trigger", "status", "started", "duration", "size",
                "error");
        assertThat(edit.get(2)).isEqualTo("Edit");
        assertThat(edit.get(3)).isEqualTo("Done");
        assertThat(edit.get(5)).matches("\\d+\\.\\d s");
        assertThat(edit.get(6)).as("3 when it completed, though 4 now").isEqualTo("3");
        assertThat(edit.get(7)).isEmpty();
        assertThat(activation.get(2)).isEqualTo("Activation");
        assertThat(activation.get(6)).isEqualTo("4");
        assertThat(runs.getColumnByKey("size").getHeaderText()).isEqualTo("Size at completion");
    }
}
