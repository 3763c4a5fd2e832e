package org.openaudience.team.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.contextmenu.MenuItem;
import org.junit.jupiter.api.Test;
import org.openaudience.shell.ui.HomeView;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;

class ChangePasswordTest extends KaribuTest {

    @Test
    void a_member_with_a_temporary_password_must_choose_a_new_one_before_anything_else() {
        Member member = members.memberWithTemporaryPassword(Role.USER);
        login(member);
        navigate("");
        ChangePasswordView view = _get(ChangePasswordView.class);
        assertThat(_find(HomeView.class)).isEmpty();

        _setValue(view.form.currentPassword, "Temporary-pass-1");
        _setValue(view.form.newPassword, "My-own-pass-55");
        _setValue(view.form.repeatPassword, "My-own-pass-56");
        _click(view.form.submit);
        assertThat(view.form.repeatPassword.isInvalid()).isTrue();

        _setValue(view.form.repeatPassword, "My-own-pass-55");
        _setValue(view.form.currentPassword, "wrong");
        _click(view.form.submit);
        assertThat(view.form.currentPassword.getErrorMessage()).isEqualTo("The current password is not correct.");

        _setValue(view.form.currentPassword, "Temporary-pass-1");
        _click(view.form.submit);
        assertThat(_find(HomeView.class)).hasSize(1);
        assertThat(members.asAdmin(() -> team.member(member.getId())).isMustChangePassword()).isFalse();
    }

    @Test
    void wrong_current_passwords_count_like_failed_logins_and_lock_the_change() {
        Member member = members.member(Role.USER);
        login(member);
        navigate("");
        _click(_find(MenuItem.class).stream().filter(i -> "Change password".equals(i.getText())).findFirst()
                .orElseThrow());
        ChangePasswordDialog dialog = _get(ChangePasswordDialog.class);
        _setValue(dialog.form.newPassword, "Brand-new-pass-77");
        _setValue(dialog.form.repeatPassword, "Brand-new-pass-77");
        for (int attempt = 0; attempt < 5; attempt++) {
            _setValue(dialog.form.currentPassword, "guess-" + attempt);
            _click(dialog.form.submit);
        }
        _setValue(dialog.form.currentPassword, org.openaudience.testsupport.TestMembers.PASSWORD);
        _click(dialog.form.submit);
        assertThat(dialog.form.currentPassword.getErrorMessage()).startsWith("Too many wrong passwords");
        assertThat(members.asAdmin(() -> team.member(member.getId())).isLockedAt(clock.instant())).isTrue();
    }

    @Test
    void the_member_menu_changes_the_own_password() {
        Member member = members.member(Role.READ_ONLY);
        login(member);
        navigate("");
        MenuItem item = _find(MenuItem.class).stream().filter(i -> "Change password".equals(i.getText()))
                .findFirst().orElseThrow();
        _click(item);
        ChangePasswordDialog dialog = _get(ChangePasswordDialog.class);
        _setValue(dialog.form.currentPassword, org.openaudience.testsupport.TestMembers.PASSWORD);
        _setValue(dialog.form.newPassword, "Brand-new-pass-77");
        _setValue(dialog.form.repeatPassword, "Brand-new-pass-77");
        _click(dialog.form.submit);
        assertThat(dialog.isOpened()).isFalse();
    }
}
