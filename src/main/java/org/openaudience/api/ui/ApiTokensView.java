package org.openaudience.api.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.openaudience.api.ApiToken;
import org.openaudience.api.ApiTokens;
import org.openaudience.api.NewApiToken;
import org.openaudience.base.ui.Notifications;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The signed-in member's personal tokens for the REST API (user menu › API tokens). Every role may have them: a
 * token acts with its member's role and workspaces, so it can do no more than the member can in the app.
 */
@Route("account/api-tokens")
@PageTitle("API tokens")
@PermitAll
public class ApiTokensView extends VerticalLayout {

    /** Where springdoc serves the Swagger UI ({@code springdoc.swagger-ui.path}); it redirects to the page itself. */
    static final String API_DOCUMENTATION = "api-docs";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final ApiTokens tokens;
    private final WorkspaceService workspaces;
    private final Clock clock;
    /** The app's address as this browser reaches it, for the curl example (read while a request is at hand). */
    private final String baseUrl;
    final Grid<ApiToken> grid = new Grid<>(ApiToken.class, false);
    final Button newToken = new Button("New token", VaadinIcon.PLUS.create());
    final Anchor documentation = new Anchor(API_DOCUMENTATION, "API documentation");

    public ApiTokensView(ApiTokens tokens, WorkspaceService workspaces, Clock clock) {
        this.tokens = tokens;
        this.workspaces = workspaces;
        this.clock = clock;
        this.baseUrl = baseUrl();
        addClassName("api-tokens-view");
        setSizeFull();
        add(toolbar(), grid());
    }

    private Component toolbar() {
        Paragraph intro = new Paragraph("Personal tokens for the REST API. A token acts as you — your role and your "
                + "workspaces — and is sent as \"Authorization: Bearer <token>\". You may hold "
                + ApiTokens.MAX_ACTIVE_TOKENS + " tokens that are not revoked.");
        intro.addClassName("api-tokens-intro");
        documentation.setId("api-documentation");
        documentation.addClassName("api-documentation-link");
        documentation.setTarget(AnchorTarget.BLANK);
        documentation.setRouterIgnore(true); // the Swagger UI is a page of its own, not a view
        newToken.setId("api-token-new");
        newToken.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        newToken.addClickListener(click -> new NewTokenDialog(this::create).open());
        HorizontalLayout toolbar = new HorizontalLayout(intro, documentation, newToken);
        toolbar.setWidthFull();
        toolbar.setAlignItems(Alignment.BASELINE);
        toolbar.expand(intro);
        return toolbar;
    }

    private Grid<ApiToken> grid() {
        grid.addColumn(ApiToken::name).setKey("name").setHeader("Name").setWidth("10em").setFlexGrow(1)
                .setTooltipGenerator(ApiToken::name);
        grid.addColumn(ApiTokensView::shownPrefix).setKey("prefix").setHeader("Token").setAutoWidth(true);
        grid.addColumn(token -> TIME.format(token.createdAt())).setKey("created").setHeader("Created (UTC)")
                .setAutoWidth(true);
        grid.addColumn(token -> token.expiresAt() == null ? "Never" : TIME.format(token.expiresAt()))
                .setKey("expires").setHeader("Expires (UTC)").setAutoWidth(true);
        grid.addColumn(token -> token.lastUsedAt() == null ? "Never" : TIME.format(token.lastUsedAt()))
                .setKey("lastUsed").setHeader("Last used (UTC)").setAutoWidth(true);
        grid.addComponentColumn(this::state).setKey("state").setHeader("State").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setKey("actions").setHeader("Actions").setAutoWidth(true)
                .setFlexGrow(0);
        grid.setItems(query -> tokens.ownTokens(query.getOffset(), query.getLimit()).stream(),
                query -> tokens.countOwnTokens());
        grid.setEmptyStateText("You have no API tokens yet.");
        grid.setSizeFull();
        return grid;
    }

    /** The start of the secret, enough to tell tokens apart and to find one in a script's configuration. */
    static String shownPrefix(ApiToken token) {
        return token.tokenPrefix() + "…";
    }

    private Component state(ApiToken token) {
        String state = token.state(clock.instant());
        Span badge = new Span(state);
        badge.getElement().getThemeList().add(switch (state) {
            case "Active" -> "badge success";
            case "Revoked" -> "badge error";
            default -> "badge contrast";
        });
        return badge;
    }

    private Component actions(ApiToken token) {
        Button revoke = new Button("Revoke", click -> confirmRevoke(token));
        revoke.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        revoke.setAriaLabel("Revoke " + token.name());
        revoke.setVisible(!token.revoked());
        return revoke;
    }

    private void create(String name, TokenExpiry expiry) {
        NewApiToken created = tokens.create(name, expiry.expiresAt(clock.instant()));
        grid.getDataProvider().refreshAll();
        new TokenSecretDialog(created, curlExample(created.secret())).open();
    }

    private void confirmRevoke(ApiToken token) {
        ConfirmDialog confirm = new ConfirmDialog("Revoke " + token.name() + "?",
                "Requests with " + shownPrefix(token) + " are refused from now on. This cannot be undone.",
                "Revoke", event -> {
                    tokens.revoke(token.id());
                    grid.getDataProvider().refreshAll();
                    Notifications.success("Revoked " + token.name());
                });
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    /** A first request with the new token: the audiences of the workspace the member is working in. */
    private String curlExample(String secret) {
        String workspace = workspaces.currentWorkspace().map(w -> Long.toString(w.id())).orElse("WORKSPACE_ID");
        return "curl -H \"Authorization: Bearer " + secret + "\" " + baseUrl + "/api/v1/workspaces/" + workspace
                + "/audiences";
    }

    private static String baseUrl() {
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        return request == null ? "" : ServletUriComponentsBuilder.fromContextPath(request.getHttpServletRequest())
                .replaceQuery(null).toUriString();
    }
}
