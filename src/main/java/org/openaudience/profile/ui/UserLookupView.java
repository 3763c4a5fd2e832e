package org.openaudience.profile.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import jakarta.annotation.security.RolesAllowed;
import org.openaudience.security.Role;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.openaudience.audience.AudienceList;
import org.openaudience.audience.AudienceMembers;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.ui.MembershipExplanation;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;
import org.openaudience.profile.LookupKind;
import org.openaudience.profile.Profile;
import org.openaudience.profile.ProfileService;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/**
 * Users › Lookup: one user of the current workspace by MPID, customer id, email or device id, with their profile and
 * latest events. Links work too: {@code users/lookup?mpid=…} or {@code users/lookup?kind=email&value=…}.
 */
@Route("users/lookup")
@PageTitle("User lookup")
@Menu(order = 3, title = "Lookup", icon = "vaadin:search")
@RolesAllowed({Role.Names.ADMIN, Role.Names.SUPPORT, Role.Names.USER, Role.Names.AUDIENCES_ONLY})
@AccessDeniedErrorRouter
public class UserLookupView extends VerticalLayout implements BeforeEnterObserver {

    static final String ROUTE = "users/lookup";

    private final ProfileService profiles;
    private final AudienceService audiences;
    private final AudienceMembers audienceMembers;
    private final AudienceList audienceList;
    private final Workspace workspace;
    final Select<LookupKind> kind = new Select<>();
    final TextField value = new TextField(LookupKind.CUSTOMER_ID.label());
    final Button lookUp = new Button("Look up", VaadinIcon.SEARCH.create());
    final Div result = new Div();

    public UserLookupView(ProfileService profiles, WorkspaceService workspaces, AudienceService audiences,
                          AudienceMembers audienceMembers, AudienceList audienceList) {
        this.profiles = profiles;
        this.audiences = audiences;
        this.audienceMembers = audienceMembers;
        this.audienceList = audienceList;
        this.workspace = workspaces.currentWorkspace().orElse(null);
        addClassName("user-lookup-view");
        if (workspace == null) {
            add(new Paragraph("You have no workspace yet, so there are no users to look up. An Admin can create one "
                    + "in Settings › Workspaces or give you access to one in Settings › Team."));
            return;
        }
        add(new Paragraph("Find one user of " + workspace.name() + " and see their profile and latest events."),
                form());
        result.addClassName("lookup-result");
        result.setWidthFull();
        add(result);
    }

    private HorizontalLayout form() {
        kind.setLabel("Look up by");
        kind.setItems(LookupKind.values());
        kind.setItemLabelGenerator(LookupKind::label);
        kind.setValue(LookupKind.CUSTOMER_ID);
        kind.setManualValidation(true); // this view decides what is invalid, from the service's answer
        kind.addValueChangeListener(e -> {
            value.setLabel(e.getValue() == null ? "Value" : e.getValue().label());
            kind.setInvalid(false);
        });
        value.setClearButtonVisible(true);
        value.setManualValidation(true);
        value.addClassName("lookup-value");
        value.addValueChangeListener(e -> value.setInvalid(false));
        lookUp.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        lookUp.addClickListener(click -> {
            if (lookup()) {
                rememberInAddress();
            }
        });
        HorizontalLayout form = new HorizontalLayout(kind, value, lookUp);
        form.addClassName("lookup-form");
        form.setAlignItems(Alignment.BASELINE);
        lookUp.addClickShortcut(Key.ENTER).listenOn(form);
        return form;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (workspace == null) {
            return;
        }
        Map<String, List<String>> parameters = event.getLocation().getQueryParameters().getParameters();
        Optional<String> mpid = first(parameters, "mpid");
        Optional<String> typed = first(parameters, "value");
        Optional<String> kindName = first(parameters, "kind");
        result.removeAll();
        if (mpid.isPresent()) {
            kind.setValue(LookupKind.MPID);
            value.setValue(mpid.get());
        } else if (typed.isPresent()) {
            Optional<LookupKind> parsed = kindName.isPresent() ? kindOf(kindName.get())
                    : Optional.of(LookupKind.CUSTOMER_ID);
            value.setValue(typed.get());
            if (parsed.isEmpty()) {
                kind.setErrorMessage("Unknown kind \"" + kindName.get() + "\"; use one of "
                        + Arrays.stream(LookupKind.values()).map(LookupKind::label).collect(Collectors.joining(", "))
                        + ".");
                kind.setInvalid(true);
                return;
            }
            kind.setValue(parsed.get());
        } else {
            return;
        }
        lookup();
    }

    /** Looks the form's value up and shows the user or why there is none; true when the input was valid. */
    private boolean lookup() {
        FieldErrors.clear(Map.of("value", value));
        result.removeAll();
        LookupKind selected = kind.getValue() == null ? LookupKind.CUSTOMER_ID : kind.getValue();
        Optional<Profile> found;
        try {
            found = profiles.lookup(workspace.id(), selected, value.getValue());
        } catch (InvalidRequestException error) {
            FieldErrors.show(error, Map.of("value", value));
            return false;
        }
        found.ifPresentOrElse(profile -> result.add(new ProfilePanel(profile),
                new MembershipExplanation(audiences, audienceMembers, audienceList, workspace.id(), profile.mpid())), () -> {
            Paragraph notFound = new Paragraph("No user found for " + selected.label() + " " + value.getValue().trim()
                    + " in " + workspace.name() + ".");
            notFound.addClassName("lookup-not-found");
            result.add(notFound);
        });
        return true;
    }

    /** Puts the search into the address bar, so the page can be bookmarked or sent to a colleague. */
    private void rememberInAddress() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("kind", kind.getValue().name().toLowerCase(Locale.ROOT));
        parameters.put("value", value.getValue().trim());
        getUI().ifPresent(ui -> ui.getPage().getHistory().replaceState(null,
                new Location(ROUTE, QueryParameters.simple(parameters))));
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        return Optional.ofNullable(parameters.get(name)).flatMap(values -> values.stream().findFirst())
                .filter(text -> !text.isBlank());
    }

    private static Optional<LookupKind> kindOf(String text) {
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(LookupKind.values())
                .filter(candidate -> candidate.name().equals(normalized)
                        || candidate.label().equalsIgnoreCase(text.trim()))
                .findFirst();
    }
}
