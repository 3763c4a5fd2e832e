package org.openaudience.output.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.NotificationsKt;
import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.sidenav.SideNavItem;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.shell.ui.AccessDeniedView;
import org.openaudience.criteria.Definition;
import org.openaudience.output.ConnectionService;
import org.openaudience.output.FileDropRoot;
import org.openaudience.output.Output;
import org.openaudience.output.OutputKind;
import org.openaudience.output.OutputService;
import org.openaudience.output.OutputSettings;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class OutputsViewTest extends KaribuTest {

    @Autowired
    OutputService outputs;
    @Autowired
    ConnectionService connections;
    @Autowired
    AudienceService audiences;
    @Autowired
    FileDropRoot fileDropRoot;

    Workspace workspace;
    Member user;

    @BeforeEach
    void openAsUserOfOneWorkspace() {
        workspace = members.workspace("Outputs");
        user = members.member(Role.USER, workspace);
        login(user);
        navigate("setup/outputs");
    }

    @Test
    void a_user_adds_a_webhook_and_sees_its_generated_secret_once() {
        OutputDialog dialog = openAddDialog();
        assertThat(dialog.kind.getValue()).isEqualTo(OutputKind.WEBHOOK);
        assertThat(dialog.folder.isVisible()).isFalse();
        _setValue(dialog.name, "CRM hook");
        _setValue(dialog.url, "https://crm.example.com/hook");
        _click(dialog.save);

        assertThat(_find(OutputDialog.class)).isEmpty();
        NotificationsKt.expectNotifications("Added output CRM hook");
        OutputsView view = _get(OutputsView.class);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        Output shown = GridKt._get(view.grid, 0);
        assertThat(shown.name()).isEqualTo("CRM hook");
        assertThat(shown.destination()).isEqualTo("https://crm.example.com/hook");
        assertThat(shown.batchSize()).isEqualTo(OutputSettings.DEFAULT_BATCH_SIZE);
        String secret = asUser(() -> outputs.output(shown.id())).secret();
        assertThat(secret).hasSize(48);
        assertThat(shown.secret()).as("lists do not carry secrets").isNull();
        SecretDialog shownOnce = _get(SecretDialog.class);
        assertThat(shownOnce.secret.getValue()).isEqualTo(secret);
        shownOnce.close();
    }

    @Test
    void the_dialog_shows_the_services_refusal_under_the_url_and_creates_nothing() {
        OutputDialog dialog = openAddDialog();
        _setValue(dialog.name, "Not a web hook");
        _setValue(dialog.url, "ftp://x");
        _click(dialog.save);

        assertThat(dialog.isOpened()).isTrue();
        assertThat(dialog.url.isInvalid()).isTrue();
        assertThat(dialog.url.getErrorMessage()).isEqualTo("Enter an http:// or https:// URL with a host.");
        assertThat(dialog.name.isInvalid()).isFalse();
        assertThat(asUser(() -> outputs.count(workspace.id()))).isZero();
    }

    @Test
    void editing_changes_the_batch_size_and_a_blank_secret_keeps_the_current_one() {
        String secret = "a-secret-of-sixteen-or-more";
        Output original = asUser(() -> outputs.createOutput(workspace.id(),
                OutputSettings.webhook("Warehouse", "https://warehouse.example.com/in", secret)));
        navigate("setup/outputs");
        OutputsView view = _get(OutputsView.class);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class,
                spec -> spec.withText("Edit")));

        OutputDialog dialog = _get(OutputDialog.class);
        assertThat(dialog.secret.getValue()).as("never pre-filled").isEmpty();
        assertThat(dialog.kind.isEnabled()).as("the kind cannot change").isFalse();
        assertThat(dialog.url.getValue()).isEqualTo("https://warehouse.example.com/in");
        _setValue(dialog.batchSize, 250);
        _click(dialog.save);

        assertThat(_find(OutputDialog.class)).isEmpty();
        Output saved = asUser(() -> outputs.output(original.id()));
        assertThat(saved.batchSize()).isEqualTo(250);
        assertThat(saved.secret()).isEqualTo(secret);
        assertThat(GridKt._get(view.grid, 0).batchSize()).isEqualTo(250);
    }

    @Test
    void the_edit_dialog_shows_header_names_but_never_their_values_and_keeps_them_on_save() {
        String token = "Bearer crm-token-5f2a";
        Output original = asUser(() -> outputs.createOutput(workspace.id(), new OutputSettings("CRM",
                OutputKind.WEBHOOK, "https://crm.example.com/in", "a-secret-of-sixteen+",
                "Authorization: " + token + "\nX-Team: crm", null, 100, 5)));
        navigate("setup/outputs");
        OutputsView view = _get(OutputsView.class);
        assertThat(GridKt._get(view.grid, 0).headers()).as("grid items carry no values").doesNotContain(token);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class,
                spec -> spec.withText("Edit")));

        OutputDialog dialog = _get(OutputDialog.class);
        assertThat(dialog.headers.getValue()).isEqualTo("Authorization: ••••••\nX-Team: ••••••");
        assertThat(dialog.headers.getElement().getProperty("value")).as("what the browser gets")
                .doesNotContain(token).doesNotContain("crm");
        _setValue(dialog.batchSize, 250);
        _click(dialog.save);

        assertThat(_find(OutputDialog.class)).isEmpty();
        Output saved = asUser(() -> outputs.output(original.id()));
        assertThat(saved.headers()).isEqualTo("Authorization: " + token + "\nX-Team: crm");
        assertThat(saved.batchSize()).isEqualTo(250);
    }

    @Test
    void pointing_an_output_at_another_host_asks_for_the_secret_again_and_changes_nothing() {
        Output original = asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.webhook("Warehouse",
                "https://warehouse.example.com/in", "a-secret-of-sixteen+")));
        navigate("setup/outputs");
        OutputsView view = _get(OutputsView.class);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class,
                spec -> spec.withText("Edit")));
        OutputDialog dialog = _get(OutputDialog.class);
        _setValue(dialog.url, "https://collector.example.net/in");
        _click(dialog.save);

        assertThat(dialog.isOpened()).isTrue();
        assertThat(dialog.secret.isInvalid()).isTrue();
        assertThat(dialog.secret.getErrorMessage()).startsWith("The URL now points to another host: enter the"
                + " HMAC secret again");
        assertThat(asUser(() -> outputs.output(original.id())).url()).isEqualTo("https://warehouse.example.com/in");
    }

    @Test
    void a_csv_file_drop_is_added_with_a_folder_inside_the_file_drop_root() {
        String folder = "karibu-" + TestMembers.unique();
        OutputDialog dialog = openAddDialog();
        assertThat(dialog.folder.getHelperText()).isEqualTo("Inside " + fileDropRoot.path(workspace.id()) + " on the server");
        _setValue(dialog.kind, OutputKind.FILE_DROP);
        assertThat(dialog.url.isVisible()).isFalse();
        assertThat(dialog.secret.isVisible()).isFalse();
        _setValue(dialog.name, "Nightly CSV");
        _setValue(dialog.folder, folder);
        _click(dialog.save);

        OutputsView view = _get(OutputsView.class);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._get(view.grid, 0).kind()).isEqualTo(OutputKind.FILE_DROP);
        assertThat(GridKt._get(view.grid, 0).destination()).isEqualTo(folder);
        assertThat(fileDropRoot.resolve(workspace.id(), folder)).isDirectory();
    }

    @Test
    void deleting_an_unconnected_output_removes_it() {
        asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.webhook("Old hook",
                "https://old.example.com", null)));
        navigate("setup/outputs");
        OutputsView view = _get(OutputsView.class);
        confirmDeleteOfFirstRow(view, "Delete output Old hook?");

        assertThat(GridKt._size(view.grid)).isZero();
        assertThat(asUser(() -> outputs.count(workspace.id()))).isZero();
    }

    @Test
    void a_connected_output_is_not_deleted_and_the_audiences_are_named() {
        Output drop = asUser(() -> outputs.createOutput(workspace.id(),
                OutputSettings.fileDrop("Connected drop", "karibu-" + TestMembers.unique())));
        asUser(() -> {
            long audienceId = audiences.createAudience(workspace.id(), "Video fans", null,
                    Definition.of(org.openaudience.criteria.UserCriterion.attribute("fan",
                            org.openaudience.criteria.DataType.STRING, org.openaudience.criteria.Operator.EXACT_MATCH,
                            "video"))).id();
            audiences.activateAudience(audienceId); // only a calculated audience can be connected
            return connections.connect(audienceId, null, drop.id(), Set.of());
        });
        navigate("setup/outputs");
        OutputsView view = _get(OutputsView.class);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class,
                spec -> spec.withText("Delete")));

        assertThat(_find(ConfirmDialog.class)).as("refused before asking").isEmpty();
        NotificationsKt.expectNotifications("\"Connected drop\" is connected to Video fans. Disconnect those "
                + "audiences first.");
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(asUser(() -> outputs.output(drop.id()))).isNotNull();
    }

    @Test
    void test_sends_a_signed_empty_message_and_reports_the_answer_or_the_failure_without_the_body() {
        try (WebhookReceiver receiver = new WebhookReceiver(0); WebhookReceiver busy = new WebhookReceiver(1)) {
            asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.webhook("A live one", receiver.url(),
                    null)));
            asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.webhook("B dead one",
                    "http://127.0.0.1:9/nothing", null)));
            navigate("setup/outputs");
            OutputsView view = _get(OutputsView.class);
            _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class,
                    spec -> spec.withText("Test")));
            NotificationsKt.expectNotifications(
                    "A live one: The receiver answered HTTP 204 to a signed test message.");
            assertThat(receiver.accepted()).singleElement().satisfies(received -> {
                assertThat(received.deliveryId()).startsWith("test-");
                assertThat(received.json().get("members")).isEmpty();
            });
            _click(_get(GridKt._getCellComponent(view.grid, 1, "actions"), Button.class,
                    spec -> spec.withText("Test")));
            NotificationsKt.expectNotifications(
                    "B dead one: The test message failed: Could not reach 127.0.0.1:9: connection refused");
            asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.webhook("C busy one", busy.url(),
                    null)));
            navigate("setup/outputs");
            view = _get(OutputsView.class);
            _click(_get(GridKt._getCellComponent(view.grid, 2, "actions"), Button.class,
                    spec -> spec.withText("Test")));
            NotificationsKt.expectNotifications( // it answered 503 "receiver warming up"
                    "C busy one: The test message failed: HTTP 503 from 127.0.0.1:" + busy.port());
        }
    }

    @Test
    void an_audiences_only_member_cannot_open_the_outputs_page() {
        switchMember(members.member(Role.AUDIENCES_ONLY, workspace));
        navigate("setup/outputs");
        assertThat(_find(OutputsView.class)).isEmpty();
        assertThat(_find(AccessDeniedView.class)).hasSize(1);
    }

    @Test
    void the_menu_shows_outputs_under_setup_for_a_user() {
        navigate("");
        SideNavItem setup = _find(SideNavItem.class).stream().filter(item -> "Setup".equals(item.getLabel()))
                .findFirst().orElseThrow();
        assertThat(setup.getItems()).extracting(SideNavItem::getLabel).containsExactly("Outputs");
        assertThat(setup.getItems().get(0).getPath()).isEqualTo("setup/outputs");
    }

    private OutputDialog openAddDialog() {
        _click(_get(Button.class, spec -> spec.withText("Add output")));
        return _get(OutputDialog.class);
    }

    private void confirmDeleteOfFirstRow(OutputsView view, String header) {
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class,
                spec -> spec.withText("Delete")));
        ConfirmDialog confirm = _get(ConfirmDialog.class);
        assertThat(ConfirmDialogKt._getHeader(confirm)).isEqualTo(header);
        ConfirmDialogKt._fireConfirm(confirm);
        // karibu fires the listener without the client closing the dialog.
        confirm.close();
    }

    private <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }
}
