package org.openaudience.output.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Paragraph;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openaudience.abtest.AbTestService;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.MemberExports;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.output.Connection;
import org.openaudience.output.ConnectionService;
import org.openaudience.output.Output;
import org.openaudience.output.OutputService;
import org.openaudience.output.OutputSettings;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class ConnectTabTest extends KaribuTest {

    @Autowired
    ConnectionService connections;
    @Autowired
    OutputService outputs;
    @Autowired
    AbTestService abTests;
    @Autowired
    AudienceService audiences;
    @Autowired
    MemberExports exports;
    @Autowired
    org.openaudience.input.InputService inputs;
    @Autowired
    org.openaudience.ingest.IngestionService ingestion;
    @Autowired
    org.openaudience.ingest.BatchParser parser;

    Workspace workspace;
    Member user;
    Audience audience;
    Output hook;

    /** An active audience (only one that was calculated can be connected) and a webhook output. */
    void anAudienceAndAWebhook(String prefix) {
        aDraftAndAWebhook(prefix);
        audience = audiences.activateAudience(audience.id());
    }

    void aDraftAndAWebhook(String prefix) {
        workspace = members.workspace(prefix);
        user = members.member(Role.USER, workspace);
        var events = new org.openaudience.testsupport.TestEvents(inputs, ingestion, parser, clock, members);
        events.send(events.webInput(workspace), """
                {"user_identities":{"customer_id":"connect-1"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Play Video"}}]}""");
        login(user);
        audience = audiences.createAudience(workspace.id(), "Paris premium viewers", null,
                Definition.of(EventCriterion.event("Play Video")));
        hook = outputs.createOutput(workspace.id(), OutputSettings.webhook("CRM hook", "http://127.0.0.1:9/hook",
                null));
    }

    @Test
    void a_draft_never_calculated_cannot_be_connected_and_the_tab_says_why() {
        aDraftAndAWebhook("ConnectDraft");
        ConnectTab tab = tab(true);
        String reason = "\"Paris premium viewers\" has never been calculated, so it has no members to send yet. "
                + "Activate it first, then connect it.";
        assertThat(tab.notConnectable.isVisible()).isTrue();
        assertThat(tab.notConnectable.getText()).isEqualTo(reason);
        assertThat(tab.form.connect.isEnabled()).isFalse();
        assertThatThrownBy(() -> connections.connect(audience.id(), null, hook.id(), Set.of()))
                .isInstanceOf(org.openaudience.base.InvalidRequestException.class).hasMessage(reason);
        assertThat(connections.connections(audience.id())).isEmpty();

        audiences.activateAudience(audience.id());
        tab.refresh();
        assertThat(tab.notConnectable.isVisible()).isFalse();
        assertThat(tab.form.connect.isEnabled()).isTrue();
        _setValue(tab.form.output, tab.form.output.getListDataView().getItem(0));
        _click(tab.form.connect);
        assertThat(GridKt._size(tab.grid)).isEqualTo(1);
    }

    @Test
    void delivery_counts_have_thousands_separators_and_plurals() {
        anAudienceAndAWebhook("ConnectCounts");
        Connection made = connections.connect(audience.id(), null, hook.id(), Set.of());
        Connection counted = new Connection(made.id(), made.workspaceId(), made.audienceId(), made.audienceName(),
                made.variation(), made.variationName(), made.externalName(), made.outputId(), made.outputName(),
                made.outputKind(), made.identityTypes(), made.status(), org.openaudience.output.DeliveryPhase.CHANGES,
                made.failedAttempts(), made.lastError(), made.lastErrorAt(), made.lastDeliveryAt(), 1, 12_345, 1,
                made.createdBy(), made.createdAt());
        assertThat(ConnectTab.progress(counted)).isEqualTo("1 add, 12,345 removes · 1 change waiting");
    }

    ConnectTab tab(boolean mayConnect) {
        ConnectTab tab = new ConnectTab(connections, outputs, abTests, exports, audience, mayConnect);
        UI.getCurrent().add(tab);
        return tab;
    }

    @Test
    void connecting_shows_the_connection_sending_and_pause_resume_and_disconnect_change_it() {
        anAudienceAndAWebhook("Connect");
        ConnectTab tab = tab(true);
        assertThat(GridKt._size(tab.grid)).isZero();

        _click(tab.form.connect);
        assertThat(tab.form.output.getErrorMessage()).isEqualTo("Choose an output.");
        _setValue(tab.form.output, tab.form.output.getListDataView().getItem(0));
        _click(tab.form.connect);
        assertThat(GridKt._size(tab.grid)).isEqualTo(1);
        assertThat(GridKt._get(tab.grid, 0).outputName()).isEqualTo("CRM hook");
        assertThat(GridKt._get(tab.grid, 0).target()).isEqualTo("Whole audience");
        assertThat(GridKt._get(tab.grid, 0).externalName()).isEqualTo("Paris premium viewers");
        assertThat(ConnectTab.statusBadge(GridKt._get(tab.grid, 0)).getText()).isEqualTo("Sending");
        assertThat(ConnectTab.progress(GridKt._get(tab.grid, 0))).isEqualTo(
                "0 adds, 0 removes · sending current members");

        _click(action(tab, "Pause Paris premium viewers to CRM hook"));
        assertThat(GridKt._get(tab.grid, 0).status().label()).isEqualTo("Paused");
        _click(action(tab, "Resume Paris premium viewers to CRM hook"));
        assertThat(GridKt._get(tab.grid, 0).status().label()).isEqualTo("Sending");

        _click(action(tab, "Disconnect Paris premium viewers from CRM hook"));
        ConfirmDialog confirm = _get(ConfirmDialog.class);
        ConfirmDialogKt._fireConfirm(confirm);
        confirm.close();
        assertThat(GridKt._size(tab.grid)).isZero();
        assertThat(connections.connections(audience.id())).isEmpty();
    }

    private static Button action(ConnectTab tab, String ariaLabel) {
        return _get(GridKt._getCellComponent(tab.grid, 0, "actions"), Button.class,
                spec -> spec.withAttribute("aria-label", ariaLabel));
    }

    @Test
    void a_saved_ab_test_offers_its_variations_and_a_variation_connects_under_its_external_name() {
        anAudienceAndAWebhook("ConnectAB");
        abTests.startTest(audience.id());
        abTests.addVariation(audience.id(), 20, "Discount");
        ConnectTab tab = tab(true);
        assertThat(tab.form.target.getListDataView().getItems().map(ConnectForm.Target::label))
                .as("an open test cannot be connected yet").containsExactly("Whole audience");

        abTests.saveTest(audience.id());
        tab.refresh();
        assertThat(tab.form.target.getListDataView().getItems().map(ConnectForm.Target::label))
                .containsExactly("Whole audience", "Variation Control (80 %)", "Variation Discount (20 %)");
        _setValue(tab.form.output, tab.form.output.getListDataView().getItem(0));
        _setValue(tab.form.target, tab.form.target.getListDataView().getItem(2));
        _setValue(tab.form.identities, Set.of());
        _click(tab.form.connect);
        assertThat(GridKt._get(tab.grid, 0).target()).isEqualTo("Discount");
        assertThat(GridKt._get(tab.grid, 0).externalName()).isEqualTo("Paris premium viewers - Discount");
        assertThat(GridKt._get(tab.grid, 0).identityTypes()).isEmpty();
    }

    @Test
    void the_form_warns_when_another_audience_is_sent_to_the_chosen_output_under_the_same_name() {
        anAudienceAndAWebhook("ConnectSame");
        outputs.createOutput(workspace.id(), OutputSettings.webhook("BI hook",
                "http://127.0.0.1:9/bi", null));
        Audience namesake = audiences.createAudience(workspace.id(), "Paris viewers (old)", "paris premium viewers",
                Definition.of(EventCriterion.event("Play Video")));
        audiences.activateAudience(namesake.id()); // only a calculated audience can be connected
        connections.connect(namesake.id(), null, hook.id(), Set.of());
        ConnectTab tab = tab(true);
        assertThat(tab.form.warning.isVisible()).isFalse();

        _setValue(tab.form.output, choice(tab, "CRM hook"));

        assertThat(tab.form.warning.isVisible()).isTrue();
        assertThat(tab.form.warning.getText()).isEqualTo("\"Paris viewers (old)\" is already sent to CRM hook as "
                + "\"paris premium viewers\". The output could not tell the two apart: give one another External "
                + "Name on its Details tab before connecting.");
        _setValue(tab.form.output, choice(tab, "BI hook"));
        assertThat(tab.form.warning.isVisible()).as("nobody else is sent to the other output").isFalse();
        _setValue(tab.form.output, choice(tab, "CRM hook"));
        _click(tab.form.connect);
        assertThat(GridKt._size(tab.grid)).as("a warning, not a refusal").isEqualTo(1);
    }

    private static org.openaudience.output.OutputChoice choice(ConnectTab tab, String name) {
        return tab.form.output.getListDataView().getItems().filter(choice -> choice.label().startsWith(name))
                .findFirst().orElseThrow();
    }

    @Test
    void read_only_members_see_connections_without_controls() {
        anAudienceAndAWebhook("ConnectRead");
        connections.connect(audience.id(), null, hook.id(), Set.of());
        login(members.member(Role.READ_ONLY, workspace));
        ConnectTab tab = tab(false);
        assertThat(tab.form).isNull();
        assertThat(GridKt._size(tab.grid)).isEqualTo(1);
        assertThat(tab.grid.getColumnByKey("actions")).isNull();
    }

    @Test
    void without_outputs_the_tab_says_where_they_are_set_up() {
        workspace = members.workspace("ConnectNone");
        login(members.member(Role.AUDIENCES_ONLY, workspace));
        audience = audiences.createAudience(workspace.id(), "Lonely", null,
                Definition.of(EventCriterion.event("Play Video")));
        ConnectTab tab = tab(true);
        assertThat(tab.form).isNull();
        assertThat(com.github.mvysny.kaributesting.v10.LocatorJ._find(tab, Paragraph.class).stream()
                .map(Paragraph::getText)).anyMatch(text -> text.startsWith("This workspace has no outputs yet"));
    }
}
