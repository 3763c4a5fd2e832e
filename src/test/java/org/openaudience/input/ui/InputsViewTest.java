package org.openaudience.input.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class InputsViewTest extends KaribuTest {

    @Autowired
    InputService inputs;

    Workspace workspace;

    @BeforeEach
    void openAsSupportOfOneWorkspace() {
        workspace = members.workspace("Inputs");
        Member support = members.member(Role.SUPPORT, workspace);
        login(support);
        navigate("setup/inputs");
    }

    @Test
    void adding_an_input_shows_its_key_and_secret_once_and_they_authenticate() {
        _click(_get(Button.class, spec -> spec.withText("Add input")));
        AddInputDialog dialog = _get(AddInputDialog.class);
        _setValue(dialog.name, "Travel iOS");
        _setValue(dialog.platform, Platform.IOS);
        _click(dialog.add);

        CredentialsDialog credentials = _get(CredentialsDialog.class);
        String key = credentials.apiKey.getValue();
        String secret = credentials.secret.getValue();
        assertThat(key).startsWith("oa-");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        Input stored = inputs.authenticate(key, secret).orElseThrow();
        assertThat(stored.secretHash()).doesNotContain(secret).hasSize(64);
        assertThat(stored.workspaceId()).isEqualTo(workspace.id());
        _click(_get(credentials, Button.class, spec -> spec.withText("I have copied the secret")));

        InputsView view = _get(InputsView.class);
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        assertThat(GridKt._get(view.grid, 0).apiKey()).isEqualTo(key);
        assertThat(_find(CredentialsDialog.class)).isEmpty();
    }

    @Test
    void an_input_needs_a_unique_name_and_a_platform() {
        members.asAdmin(() -> inputs.addInput(workspace.id(), "Web", Platform.WEB));
        _click(_get(Button.class, spec -> spec.withText("Add input")));
        AddInputDialog dialog = _get(AddInputDialog.class);
        _setValue(dialog.name, "Web");
        _click(dialog.add);
        assertThat(dialog.platform.isInvalid()).isTrue();
        _setValue(dialog.platform, Platform.CUSTOM_FEED);
        _click(dialog.add);
        assertThat(dialog.name.isInvalid()).isTrue();
        assertThat(dialog.name.getErrorMessage()).contains("already has an input named");
        assertThat(_find(CredentialsDialog.class)).isEmpty();
    }

    @Test
    void rotating_the_secret_shows_a_new_one_and_refuses_the_old() {
        var original = members.asAdmin(() -> inputs.addInput(workspace.id(), "Android", Platform.ANDROID));
        navigate("setup/inputs");
        InputsView view = _get(InputsView.class);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class,
                spec -> spec.withText("Rotate secret")));
        ConfirmDialog confirm = _get(ConfirmDialog.class);
        assertThat(ConfirmDialogKt._getHeader(confirm)).isEqualTo("Rotate the secret of Android?");
        ConfirmDialogKt._fireConfirm(confirm);

        String rotated = _get(CredentialsDialog.class).secret.getValue();
        assertThat(rotated).isNotEqualTo(original.secret());
        assertThat(inputs.authenticate(original.apiKey(), original.secret())).isEmpty();
        assertThat(inputs.authenticate(original.apiKey(), rotated)).isPresent();
    }

    @Test
    void a_disabled_input_no_longer_authenticates_until_enabled() {
        var credentials = members.asAdmin(() -> inputs.addInput(workspace.id(), "Roku", Platform.ROKU));
        navigate("setup/inputs");
        InputsView view = _get(InputsView.class);
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class, spec -> spec.withText("Disable")));
        assertThat(inputs.authenticate(credentials.apiKey(), credentials.secret())).isEmpty();
        assertThat(GridKt._get(view.grid, 0).enabled()).isFalse();
        _click(_get(GridKt._getCellComponent(view.grid, 0, "actions"), Button.class, spec -> spec.withText("Enable")));
        assertThat(inputs.authenticate(credentials.apiKey(), credentials.secret())).isPresent();
    }
}
