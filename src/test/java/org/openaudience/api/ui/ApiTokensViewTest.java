package org.openaudience.api.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.mvysny.kaributesting.v10.ContextMenuKt;
import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.pro.ConfirmDialogKt;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.dom.Element;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiToken;
import org.openaudience.api.ApiTokens;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.ui.MemberMenu;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;

class ApiTokensViewTest extends KaribuTest {

    @Autowired
    ApiTokens tokens;

    Workspace workspace;
    Member member;

    @BeforeEach
    void signInAsAReadOnlyMember() {
        // the least powerful role: every member may hold tokens, which act with their role
        workspace = members.workspace("Tokens");
        member = members.member(Role.READ_ONLY, workspace);
        login(member);
        navigate("account/api-tokens");
    }

    private ApiTokensView view() {
        return _get(ApiTokensView.class);
    }

    private NewTokenDialog openNewTokenDialog() {
        _click(view().newToken);
        return _get(NewTokenDialog.class);
    }

    private TokenSecretDialog create(String name, TokenExpiry expiry) {
        NewTokenDialog dialog = openNewTokenDialog();
        _setValue(dialog.name, name);
        _setValue(dialog.expiry, expiry);
        _click(dialog.create);
        assertThat(dialog.isOpened()).isFalse();
        return _get(TokenSecretDialog.class);
    }

    private ApiToken ownToken(int row) {
        return GridKt._get(view().grid, row);
    }

    @Test
    void the_member_menu_leads_to_the_page_with_a_link_to_the_api_documentation() {
        navigate("");
        ContextMenuKt._clickItemWithCaption(_get(MemberMenu.class), "API tokens");

        assertThat(view().documentation.getHref()).isEqualTo("api-docs");
        assertThat(view().documentation.getText()).isEqualTo("API documentation");
        assertThat(GridKt._size(view().grid)).isZero();
    }

    @Test
    void a_created_token_shows_its_secret_once_and_acts_as_its_member() {
        TokenSecretDialog shown = create("Nightly sync", TokenExpiry.DAYS_90);
        String secret = shown.secret.getValue();

        assertThat(secret).startsWith("oa_").hasSizeGreaterThan(40);
        assertThat(shown.secret.isReadOnly()).isTrue();
        assertThat(shown.getElement().getTextRecursively()).contains("you will not see it again");
        assertThat(shown.example.getValue()).isEqualTo("curl -H \"Authorization: Bearer " + secret + "\" "
                + exampleBase() + "/api/v1/workspaces/" + workspace.id() + "/audiences");
        assertThat(tokens.authenticate(secret, "127.0.0.1").member().email()).isEqualTo(member.getEmail());
        assertThat(everythingShown(UI.getCurrent().getElement())).as("the check below can see the secret")
                .anyMatch(text -> text.contains(secret));
        _click(_get(shown, Button.class, spec -> spec.withText("I have copied the token")));

        assertThat(GridKt._size(view().grid)).isEqualTo(1);
        assertThat(GridKt._getFormatted(view().grid, 0, "name")).isEqualTo("Nightly sync");
        assertThat(GridKt._getFormatted(view().grid, 0, "prefix")).isEqualTo(secret.substring(0, 10) + "…");
        assertThat(GridKt._getFormatted(view().grid, 0, "lastUsed")).isNotEqualTo("Never");
        assertThat(state(0)).isEqualTo("Active");

        ApiTokensView before = view();
        navigate("");
        navigate("account/api-tokens"); // as a reload: a new page, built from what the server keeps
        assertThat(view()).isNotSameAs(before);
        assertThat(_find(TokenSecretDialog.class)).isEmpty();
        assertThat(everythingShown(UI.getCurrent().getElement())).noneMatch(text -> text.contains(secret));
        assertThat(GridKt._getFormatted(view().grid, 0, "prefix")).isEqualTo(secret.substring(0, 10) + "…");
        assertThat(ownToken(0).tokenHash()).doesNotContain(secret);
    }

    @Test
    void the_expiry_is_chosen_from_30_days_90_days_a_year_or_never_with_90_days_by_default() {
        NewTokenDialog dialog = openNewTokenDialog();
        assertThat(dialog.expiry.getValue()).isEqualTo(TokenExpiry.DAYS_90);
        assertThat(dialog.expiry.getListDataView().getItems().map(TokenExpiry::label))
                .containsExactly("30 days", "90 days", "1 year", "No expiry");
        _setValue(dialog.name, "Default expiry");
        _click(dialog.create);
        _get(TokenSecretDialog.class).close();
        assertThat(ownToken(0).expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));

        clock.advance(Duration.ofMinutes(1)); // newest first: each token a minute younger than the last
        create("Month", TokenExpiry.DAYS_30).close();
        assertThat(ownToken(0).expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        clock.advance(Duration.ofMinutes(1));
        create("Year", TokenExpiry.YEAR).close();
        assertThat(ownToken(0).expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(365)));
        clock.advance(Duration.ofMinutes(1));
        create("Service account", TokenExpiry.NEVER).close();
        assertThat(ownToken(0).expiresAt()).isNull();
        assertThat(GridKt._getFormatted(view().grid, 0, "expires")).isEqualTo("Never");

        clock.advance(Duration.ofDays(31));
        navigate("");
        navigate("account/api-tokens");
        List<String> states = new ArrayList<>();
        for (int row = 0; row < GridKt._size(view().grid); row++) {
            states.add(ownToken(row).name() + ": " + state(row));
        }
        assertThat(states).containsExactly("Service account: Active", "Year: Active", "Month: Expired",
                "Default expiry: Active");
    }

    @Test
    void revoking_asks_first_then_the_token_is_refused_and_shown_revoked() {
        String secret = create("CI pipeline", TokenExpiry.DAYS_30).secret.getValue();
        _get(TokenSecretDialog.class).close();

        _click(revokeButton(0));
        ConfirmDialog confirm = _get(ConfirmDialog.class);
        assertThat(ConfirmDialogKt._getHeader(confirm)).isEqualTo("Revoke CI pipeline?");
        ConfirmDialogKt._fireCancel(confirm);
        assertThat(state(0)).isEqualTo("Active");
        tokens.authenticate(secret, "127.0.0.1");

        _click(revokeButton(0));
        ConfirmDialogKt._fireConfirm(_get(ConfirmDialog.class));
        assertThat(state(0)).isEqualTo("Revoked");
        assertThat(ownToken(0).revokedAt()).isNotNull();
        assertThat(revokeButton(0).isVisible()).isFalse();
        assertThatThrownBy(() -> tokens.authenticate(secret, "127.0.0.1"))
                .isInstanceOf(ApiTokens.TokenRefusedException.class).hasMessageContaining("revoked");
    }

    @Test
    void only_the_members_own_tokens_are_listed() {
        Member other = members.member(Role.ADMIN);
        RunAs.member(other.getEmail(), other.getRole(), () -> tokens.create("Someone else's", null));
        create("Mine", TokenExpiry.DAYS_30).close();

        assertThat(GridKt._size(view().grid)).isEqualTo(1);
        assertThat(ownToken(0).name()).isEqualTo("Mine");
        assertThat(ownToken(0).memberId()).isNotEqualTo(other.getId());
    }

    @Test
    void a_missing_or_too_long_name_is_refused_at_the_field_and_nothing_is_created() {
        NewTokenDialog dialog = openNewTokenDialog();
        _setValue(dialog.name, "x".repeat(ApiTokens.MAX_NAME_LENGTH + 1));
        _click(dialog.create);
        assertThat(dialog.name.isInvalid()).isTrue();
        assertThat(dialog.name.getErrorMessage()).isEqualTo("A token name has at most 100 characters.");

        _setValue(dialog.name, "   ");
        _click(dialog.create);
        assertThat(dialog.name.getErrorMessage()).startsWith("Give the token a name");

        assertThat(dialog.isOpened()).isTrue();
        assertThat(_find(TokenSecretDialog.class)).isEmpty();
        assertThat(tokens.countOwnTokens()).isZero();

        _setValue(dialog.name, "x".repeat(ApiTokens.MAX_NAME_LENGTH));
        _click(dialog.create);
        assertThat(dialog.isOpened()).isFalse();
        assertThat(tokens.countOwnTokens()).isEqualTo(1);
    }

    @Test
    void a_member_at_the_token_limit_is_told_at_the_name_field_to_revoke_one_first() {
        for (int i = 0; i < ApiTokens.MAX_ACTIVE_TOKENS; i++) {
            tokens.create("Token " + i, null);
        }
        NewTokenDialog dialog = openNewTokenDialog();
        _setValue(dialog.name, "One too many");
        _click(dialog.create);

        assertThat(dialog.name.isInvalid()).isTrue();
        assertThat(dialog.name.getErrorMessage()).contains("revoke one you no longer use first");
        assertThat(_find(TokenSecretDialog.class)).isEmpty();
    }

    private String state(int row) {
        return ((Span) GridKt._getCellComponent(view().grid, row, "state")).getText();
    }

    private Button revokeButton(int row) {
        return (Button) GridKt._getCellComponent(view().grid, row, "actions");
    }

    private static String exampleBase() {
        var request = com.vaadin.flow.server.VaadinServletRequest.getCurrent().getHttpServletRequest();
        return request.getScheme() + "://" + request.getServerName()
                + (request.getServerPort() == 80 ? "" : ":" + request.getServerPort()) + request.getContextPath();
    }

    /** Every text, attribute and property value of the page, as a browser could read it. */
    private static List<String> everythingShown(Element element) {
        List<String> shown = new ArrayList<>();
        shown.add(element.getText());
        element.getAttributeNames().forEach(name -> shown.add(element.getAttribute(name)));
        element.getPropertyNames().forEach(name -> shown.add(String.valueOf(element.getPropertyRaw(name))));
        element.getChildren().forEach(child -> shown.addAll(everythingShown(child)));
        return shown;
    }
}
