package org.openaudience.security.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.server.SystemMessages;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.KaribuTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

class LoginViewTest extends KaribuTest {

    @Autowired
    Environment environment;

    /** The login page's notice above the form after a visit with the parameter. */
    private static String open(String parameter, String value) {
        UI.getCurrent().navigate("login", QueryParameters.of(parameter, value));
        return notices();
    }

    private static String notices() {
        return _find(Paragraph.class).stream().filter(Paragraph::isVisible).map(Paragraph::getText)
                .collect(Collectors.joining(" | "));
    }

    @Test
    void the_login_page_posts_email_and_password_to_spring_security() {
        navigate("login");
        LoginForm form = _get(LoginForm.class);
        assertThat(form.getAction()).isEqualTo("login");
        assertThat(form.isError()).isFalse();
        assertThat(notices()).isEmpty();
    }

    @Test
    void a_failed_login_shows_the_error() {
        open("error", "");
        assertThat(_get(LoginForm.class).isError()).isTrue();
    }

    @Test
    void a_session_ended_for_inactivity_says_so_with_the_configured_idle_time() {
        assertThat(open("expired", "")).isEqualTo("You were signed out after 30 minutes without activity.");
        assertThat(_get(LoginForm.class).isError()).isFalse();
    }

    @Test
    void a_throttled_address_is_told_how_long_to_wait() {
        assertThat(open("throttled", "15"))
                .isEqualTo("Too many failed sign-ins from your network address. Try again in 15 minutes.");
        assertThat(open("throttled", "<script>"))
                .isEqualTo("Too many failed sign-ins from your network address. Try again in a few minutes.");
    }

    @Test
    void a_login_page_left_open_too_long_asks_to_sign_in_again() {
        assertThat(open("expired-form", ""))
                .isEqualTo("This sign-in page had been open too long. Please sign in again.");
    }

    @Test
    void idle_sessions_are_closed_after_the_configured_timeout_even_with_a_tab_open() {
        assertThat(VaadinService.getCurrent().getDeploymentConfiguration().isCloseIdleSessions()).isTrue();
        assertThat(environment.getProperty("server.servlet.session.timeout")).isEqualTo("30m");
    }

    @Test
    void pages_of_signed_in_members_go_to_the_signed_out_message_when_their_session_ended() {
        VaadinRequest request = VaadinRequest.getCurrent();
        SystemMessages anonymous = VaadinService.getCurrent().getSystemMessages(Locale.ENGLISH, request);
        assertThat(anonymous.getSessionExpiredURL()).as("the login page just reloads").isNull();
        assertThat(anonymous.getSessionExpiredCaption()).as("no notification to click away").isNull();

        loginAsAdmin();
        SystemMessages signedIn = VaadinService.getCurrent().getSystemMessages(Locale.ENGLISH, request);
        assertThat(signedIn.getSessionExpiredURL()).isEqualTo("/login?expired");
        assertThat(signedIn.getSessionExpiredCaption()).isNull();
        assertThat(signedIn.getSessionExpiredMessage()).isNull();
    }
}
