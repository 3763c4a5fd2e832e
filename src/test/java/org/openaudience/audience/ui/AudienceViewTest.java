package org.openaudience.audience.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.ComboBoxKt;
import com.github.mvysny.kaributesting.v10.ContextMenuKt;
import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.select.Select;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceList;
import org.openaudience.audience.AudienceFilter;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
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
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

/** The audience page: New Audience, the criteria editor with estimates, save and activate, details and history. */
class AudienceViewTest extends KaribuTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    AudienceList list;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;

    Workspace workspace;
    Member user;

    @BeforeEach
    void travelDataAndAUser() {
        workspace = members.workspace("Build");
        user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        var input = events.webInput(workspace);
        String[][] users = {{"paris", "premium"}, {"paris", "free"}, {"rome", "premium"}, {"paris", "Premium"}};
        for (int i = 0; i < users.length; i++) {
            events.send(input, """
                    {"user_identities":{"customer_id":"build-%d"},"user_attributes":{"status":"%s"},
                     "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                     "custom_attributes":{"category":"Destination Intro","destination":"%s"}}}]}"""
                    .formatted(i, users[i][1], users[i][0]));
        }
        login(user);
        navigate("audiences");
    }

    private AudienceView createThroughTheDialog(String name) {
        _click(_get(AudiencesView.class).newAudience);
        NewAudienceDialog dialog = _get(NewAudienceDialog.class);
        assertThat(dialog.inputs.getValue()).hasSize(1);
        _setValue(dialog.name, name);
        _click(dialog.create);
        return _get(AudienceView.class);
    }

    private static void addCriteria(AudienceView view, String type) {
        MenuBar add = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> menu.getItems().get(0).getText().equals("Add Criteria")).findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(add, type);
    }

    private static void addParisViewers(AudienceView view) {
        addCriteria(view, "Events");
        EventCriterionForm form = (EventCriterionForm) view.builder.openForm();
        ComboBoxKt.setUserInput(form.name, "Play");
        assertThat(ComboBoxKt.getSuggestions(form.name)).containsExactly("Play Video");
        _setValue(form.name, "Play Video");
        ConditionRow condition = form.addConditionRow();
        _setValue(condition.attribute, "destination");
        _setValue(condition.operator, Operator.EXACT_MATCH);
        _setValue(condition.text, "Paris");
        _click(form.done);
    }

    @Test
    void building_paris_premium_viewers_shows_estimates_and_activates() {
        AudienceView view = createThroughTheDialog("Paris premium viewers");
        assertThat(view.title.getText()).isEqualTo("Paris premium viewers");

        addParisViewers(view);
        assertThat(view.builder.openForm()).isNull();
        assertThat(_find(view.builder, com.vaadin.flow.component.html.Span.class).stream()
                .map(span -> span.getText()))
                .contains("Play Video · destination Exact Match Paris · > 0 in the last 30 days", "≈ 3 users");

        addCriteria(view, "Users");
        UserCriterionForm users = (UserCriterionForm) view.builder.openForm();
        _setValue(users.subject, UserCriterionForm.Subject.ATTRIBUTE);
        _setValue(users.condition.attribute, "status");
        _setValue(users.condition.operator, Operator.EXACT_MATCH);
        _setValue(users.condition.text, "premium");
        _click(users.done);
        assertThat(view.totalEstimate.getText()).isEqualTo("≈ 2 users if saved (from a 100% sample)");

        _click(view.saveDraft);
        Audience saved = list.page(workspace.id(), new AudienceFilter("Paris premium", null, Set.of()), 0, 1)
                .get(0).audience();
        assertThat(saved.status()).isEqualTo(AudienceStatus.DRAFT);
        assertThat(saved.definition().root()).isEqualTo(Group.of(EventCriterion.event("Play Video",
                        org.openaudience.criteria.Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH,
                                "Paris")))
                .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium")));

        _click(view.activate);
        ConfirmDialog ask = _get(ConfirmDialog.class);
        assertThat(ask.getElement().getProperty("header")).isEqualTo("Set up an A/B test?");
        ConfirmDialogKt._fireCancel(ask);
        ask.close(); // the browser closes it on No
        assertThat(view.tabs.getSelectedTab().getLabel()).as("No opens the Connect tab").isEqualTo("Connect");
        assertThat(audiences.audience(saved.id()).status()).isEqualTo(AudienceStatus.ACTIVE);
    }

    @Test
    void done_marks_missing_fields_and_keeps_the_form_open() {
        AudienceView view = createThroughTheDialog("Incomplete");
        addCriteria(view, "Events");
        EventCriterionForm form = (EventCriterionForm) view.builder.openForm();
        ConditionRow condition = form.addConditionRow();
        _setValue(condition.operator, Operator.EXACT_MATCH);
        _click(form.done);
        assertThat(form.name.isInvalid()).isTrue();
        assertThat(form.name.getErrorMessage()).isEqualTo("Choose a name from the list.");
        assertThat(condition.attribute.getErrorMessage()).isEqualTo("Choose an attribute.");
        assertThat(condition.text.getErrorMessage()).isEqualTo("Enter a value.");
        assertThat(view.builder.openForm()).isSameAs(form);
        _click(form.cancel);
        assertThat(view.builder.tree().items()).isEmpty();
    }

    @Test
    void operators_follow_the_type_and_an_override_warns() {
        AudienceView view = createThroughTheDialog("Types");
        addCriteria(view, "Events");
        EventCriterionForm form = (EventCriterionForm) view.builder.openForm();
        _setValue(form.name, "Play Video");
        ConditionRow condition = form.addConditionRow();
        _setValue(condition.attribute, "destination");
        _setValue(condition.type, DataType.NUMBER);
        _setValue(condition.operator, Operator.NUMBER_BETWEEN);
        assertThat(condition.number.isVisible()).isTrue();
        assertThat(condition.numberTo.isVisible()).isTrue();
        assertThat(condition.text.isVisible()).isFalse();
        _setValue(condition.number, 100.0);
        _setValue(condition.numberTo, 10.0);
        assertThat(condition.read()).isEmpty();
        assertThat(condition.numberTo.getErrorMessage()).isEqualTo("Enter the smaller number first.");
        _setValue(condition.type, DataType.NUMBER);
        _setValue(condition.operator, Operator.NOT_EQUALS);
        assertThat(condition.operator.getHelperText()).isEqualTo(
                "Also true when the attribute is missing or of another type; add Exists to require it");
        _setValue(condition.type, DataType.STRING);
        _setValue(condition.operator, Operator.PATTERN);
        assertThat(condition.operator.getHelperText())
                .isEqualTo("* any run of characters, ? exactly one; everything else literal");
        assertThat(condition.text.getHelperText()).isEqualTo("Case-insensitive; accents and spaces count");
        _setValue(condition.text, "Gold ");
        assertThat(condition.text.getHelperText())
                .isEqualTo("Starts or ends with a space, which counts: \"Gold \" does not match \"Gold\"");
        assertThat(org.openaudience.criteria.Describe.condition(condition.read().orElseThrow()))
                .as("the summary shows the space").isEqualTo("destination Pattern \"Gold \"");
        _setValue(condition.operator, Operator.IS_IN_LIST);
        assertThat(condition.text.getHelperText())
                .isEqualTo("Comma-separated; spaces around each value are dropped; case-insensitive");
        _setValue(condition.type, DataType.DATE);
        _setValue(condition.operator, Operator.IN_LAST_DAYS);
        assertThat(condition.days.isVisible()).isTrue();
        _setValue(condition.type, DataType.BOOLEAN);
        assertThat(condition.operator.getListDataView().getItems().toList())
                .containsExactly(Operator.IS_TRUE, Operator.IS_FALSE, Operator.EXISTS, Operator.DOES_NOT_EXIST);
        _setValue(form.comparison, org.openaudience.criteria.Frequency.Comparison.BETWEEN);
        assertThat(form.max.isVisible()).isTrue();
        _setValue(form.window.kind, WindowFields.Kind.BETWEEN);
        assertThat(form.window.last.isVisible()).isTrue();
    }

    @Test
    void groups_and_connectors_build_the_tree_and_criteria_move_between_groups() {
        AudienceView view = createThroughTheDialog("Grouped");
        addParisViewers(view);
        _click(_find(view.builder, com.vaadin.flow.component.button.Button.class).stream()
                .filter(button -> "Add group".equals(button.getText())).findFirst().orElseThrow());
        MenuBar addToGroup = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> "Add Criteria to group 2".equals(menu.getItems().get(0).getAriaLabel().orElse("")))
                .findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(addToGroup, "Sessions");
        _click(view.builder.openForm().done);
        Select<Connector> connector = _find(view.builder, Select.class).stream()
                .filter(select -> "Connector before 2".equals(select.getAriaLabel().orElse(""))).findFirst()
                .map(select -> (Select<Connector>) select).orElseThrow();
        _setValue(connector, Connector.EXCLUDE);

        Group tree = view.builder.tree();
        assertThat(tree.items()).hasSize(2);
        assertThat(tree.items().get(1).connector()).isEqualTo(Connector.EXCLUDE);
        assertThat(((Group) tree.items().get(1).node()).items()).hasSize(1);

        MenuBar move = _find(view.builder, MenuBar.class).stream()
                .filter(menu -> "Move criterion 2.1".equals(menu.getItems().get(0).getAriaLabel().orElse("")))
                .findFirst().orElseThrow();
        ContextMenuKt._clickItemWithCaption(move, "Top level");
        assertThat(view.builder.tree().items()).hasSize(3);
        assertThat(((Group) view.builder.tree().items().get(1).node()).items()).isEmpty();
    }

    @Test
    void editing_an_active_audience_asks_before_recalculating_and_details_keep_history() {
        AudienceView view = createThroughTheDialog("Viewers");
        addParisViewers(view);
        _click(view.activate);
        ConfirmDialog ask = _get(ConfirmDialog.class);
        ConfirmDialogKt._fireCancel(ask);
        ask.close(); // the browser closes it on No
        long id = list.page(workspace.id(), new AudienceFilter("Viewers", null, Set.of()), 0, 1).get(0)
                .audience().id();
        navigate("audiences/" + id);
        view = _get(AudienceView.class);
        assertThat(view.saveDraft.getText()).isEqualTo("Save and recalculate");
        addCriteria(view, "Sessions");
        _click(view.builder.openForm().done);
        _click(view.saveDraft);
        ConfirmDialogKt._fireConfirm(_get(ConfirmDialog.class));
        assertThat(audiences.audience(id).definition().root().items()).hasSize(2);

        view.tabs.setSelectedIndex(3); // Build, A/B Test, Connect, Details
        com.github.mvysny.kaributesting.v10.MockVaadin.clientRoundtrip();
        DetailsTab details = view.details;
        _setValue(details.description, "People who watched Paris");
        details.tags.setValue(Set.of("video"));
        _click(details.save);
        assertThat(audiences.audience(id).tagNames()).containsExactly("video");
        assertThat(GridKt._size(details.history)).isEqualTo(3);
        assertThat(VersionHistory.summary(GridKt._get(details.history, 0)))
                .isEqualTo("1 change: added criterion 2: \"Sessions · > 0 in the last 30 days\"");
        assertThat(GridKt._size(details.runs)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void read_only_members_see_criteria_without_edit_controls() {
        Audience audience = RunAs.member(user.getEmail(), Role.USER, () -> audiences.createAudience(workspace.id(),
                "Watched", null, org.openaudience.criteria.Definition.of(EventCriterion.event("Play Video"))));
        switchMember(members.member(Role.READ_ONLY, workspace));
        navigate("audiences/" + audience.id());
        AudienceView view = _get(AudienceView.class);
        assertThat(view.saveDraft.isVisible() && view.saveDraft.getParent().orElseThrow().isVisible()).isFalse();
        assertThat(_find(view.builder, MenuBar.class)).isEmpty();
        assertThat(view.details.save.isVisible()).isFalse();
    }

    @Test
    void the_lookup_explains_each_criterion_for_one_user() {
        Audience audience = RunAs.member(user.getEmail(), Role.USER, () -> audiences.createAudience(workspace.id(),
                "Paris premium", null, new org.openaudience.criteria.Definition(Group.of(EventCriterion.event(
                        "Play Video", org.openaudience.criteria.Condition.of("destination", DataType.STRING,
                                Operator.EXACT_MATCH, "paris")))
                        .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING,
                                Operator.EXACT_MATCH, "premium")), null)));
        com.vaadin.flow.component.UI.getCurrent().navigate("users/lookup",
                com.vaadin.flow.router.QueryParameters.simple(java.util.Map.of("kind", "customer_id", "value",
                        "build-1")));
        MembershipExplanation explanation = _get(MembershipExplanation.class);
        _setValue(explanation.audience, audience);
        assertThat(_find(explanation.verdict, com.vaadin.flow.component.html.ListItem.class).stream()
                .map(item -> item.getElement().getTextRecursively() + " [" + item.getClassName() + "]"))
                .containsExactly("1 · Play Video · destination Exact Match paris · > 0 in the last 30 days: "
                                + "1 matching event in the last 30 days, needs > 0 [criterion-pass]",
                        "2 · User attribute status Exact Match premium: does not match [criterion-fail]");
        assertThat(_get(explanation.verdict, com.vaadin.flow.component.html.Paragraph.class).getText())
                .isEqualTo("Not in Paris premium by its current criteria.");
    }

    @Test
    void yes_to_the_ab_test_prompt_opens_the_ab_test_tab() {
        AudienceView view = createThroughTheDialog("Split viewers");
        addParisViewers(view);
        _click(view.activate);
        ConfirmDialog ask = _get(ConfirmDialog.class);
        ConfirmDialogKt._fireConfirm(ask);
        ask.close(); // the browser closes it on Yes
        assertThat(view.tabs.getSelectedIndex()).isEqualTo(1);
        assertThat(view.tabs.getSelectedTab().getLabel()).isEqualTo("A/B Test");
    }
}
