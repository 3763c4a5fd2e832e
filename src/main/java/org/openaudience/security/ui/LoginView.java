package org.openaudience.security.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The login page. Spring Security answers the form's post and comes back here with what happened: {@code error}
 * (wrong email or password, locked or deactivated — one message for all), {@code throttled=N} (too many failures from
 * this address: wait N minutes), {@code logout}, {@code inactive} (deactivated while signed in), {@code expired}
 * (signed out for inactivity, see {@link SessionExpiry}), {@code expired-form} (this page was open too long).
 */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · OpenAudience")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();
    final Paragraph notice = new Paragraph();
    private final Duration idleTimeout;

    public LoginView(IdleTimeout idleTimeout) {
        this.idleTimeout = idleTimeout.timeout();
        addClassName("login-view");
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        notice.addClassName("login-notice");
        notice.setVisible(false);
        add(new H1("OpenAudience"), notice, loginForm());
    }

    private LoginForm loginForm() {
        LoginI18n i18n = LoginI18n.createDefault();
        i18n.getForm().setTitle("Sign in");
        i18n.getForm().setUsername("Email");
        i18n.getErrorMessage().setTitle("Could not sign you in");
        i18n.getErrorMessage().setMessage("Check your email and password. Repeated failures lock the account "
                + "for a while; ask an Admin if you are locked out or forgot your password.");
        form.setI18n(i18n);
        form.setForgotPasswordButtonVisible(false);
        form.setAction("login");
        return form;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Map<String, List<String>> parameters = event.getLocation().getQueryParameters().getParameters();
        form.setError(parameters.containsKey("error"));
        String text = null;
        if (parameters.containsKey("throttled")) {
            text = "Too many failed sign-ins from your network address. Try again in "
                    + minutes(parameters.get("throttled")) + ".";
        } else if (parameters.containsKey("logout")) {
            text = "You have been signed out.";
        } else if (parameters.containsKey("inactive")) {
            text = "Your account has been deactivated. Ask an Admin if you need access again.";
        } else if (parameters.containsKey("expired")) {
            text = "You were signed out after " + idleTime() + " without activity.";
        } else if (parameters.containsKey("expired-form")) {
            text = "This sign-in page had been open too long. Please sign in again.";
        }
        notice.setText(text == null ? "" : text);
        notice.setVisible(text != null);
    }

    private static String minutes(List<String> values) {
        try {
            long minutes = Long.parseLong(values.isEmpty() ? "" : values.get(0));
            if (minutes >= 1 && minutes <= 24 * 60) {
                return minutes == 1 ? "1 minute" : minutes + " minutes";
            }
        } catch (NumberFormatException e) {
            // a hand-made link: fall back to the vague wording below
        }
        return "a few minutes";
    }

    private String idleTime() {
        long seconds = idleTimeout.toSeconds();
        if (seconds % 60 != 0) {
            return seconds < 600 ? (seconds == 1 ? "1 second" : seconds + " seconds")
                    : "about " + Math.round(seconds / 60.0) + " minutes";
        }
        long minutes = seconds / 60;
        if (minutes >= 120 && minutes % 60 == 0) {
            return minutes / 60 + " hours";
        }
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
}
