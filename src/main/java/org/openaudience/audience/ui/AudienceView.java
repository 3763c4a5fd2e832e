package org.openaudience.audience.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.BeforeLeaveEvent;
import com.vaadin.flow.router.BeforeLeaveObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Set;
import org.openaudience.abtest.AbTestService;
import org.openaudience.abtest.ui.AbTestTab;
import org.openaudience.output.ConnectionService;
import org.openaudience.output.OutputService;
import org.openaudience.output.ui.ConnectTab;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceDefinitions;
import org.openaudience.audience.AudienceDetails;
import org.openaudience.audience.AudienceEstimates;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.AudiencePreview;
import org.openaudience.audience.AudiencePermissions;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.audience.Estimate;
import org.openaudience.audience.MemberExports;
import org.openaudience.audience.MembershipChanges;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.base.ui.Notifications;
import org.openaudience.base.ui.PageTicker;
import org.openaudience.catalog.CatalogService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionLimits;
import org.openaudience.criteria.Problem;
import org.openaudience.input.InputService;

/**
 * One audience (PRODUCT.md §3.2–3.4): the Build tab's criteria editor with live estimates, Save as Draft and
 * Activate (an active audience asks before recalculating), and the Details tab. The header follows the calculation
 * as it runs; leaving with unsaved edits asks first ({@link LeaveGuard}).
 */
@Route("audiences/:audienceId(\\d+)")
@PermitAll
@AccessDeniedErrorRouter
public class AudienceView extends VerticalLayout implements BeforeEnterObserver, BeforeLeaveObserver,
        HasDynamicTitle {

    private final AudienceService audiences;
    private final AudienceDetails audienceDetails;
    private final AudienceEstimates estimates;
    private final AudienceHistory history;
    private final CatalogService catalog;
    private final InputService inputs;
    private final MemberExports exports;
    private final AbTestService abTests;
    private final ConnectionService connections;
    private final OutputService outputs;
    private final MembershipChanges membershipChanges;
    private final AudienceDefinitions definitions;
    private final AudiencePreview previews;
    final AudienceHeader header;
    final H2 title;
    final Span status;
    final Span totalEstimate;
    final Button saveDraft;
    final Button activate;
    final Button download;
    final LeaveGuard leaveGuard = new LeaveGuard();
    TabSheet tabs;
    CriteriaBuilder builder;
    EditPreviewPanel preview;
    DetailsTab details;
    AbTestTab abTest;
    ConnectTab connect;
    private com.vaadin.flow.component.tabs.Tab abTestTab;
    private com.vaadin.flow.component.tabs.Tab connectTab;
    private Audience audience;
    private AudiencePermissions permissions;

    public AudienceView(AudienceService audiences, AudienceDetails audienceDetails, AudienceEstimates estimates,
                        AudienceHistory history, CatalogService catalog, InputService inputs, MemberExports exports,
                        AbTestService abTests, ConnectionService connections, OutputService outputs,
                        MembershipChanges membershipChanges, AudienceDefinitions definitions, AudiencePreview previews,
                        PageTicker ticker) {
        this.membershipChanges = membershipChanges;
        this.definitions = definitions;
        this.previews = previews;
        this.audienceDetails = audienceDetails;
        this.abTests = abTests;
        this.connections = connections;
        this.outputs = outputs;
        this.exports = exports;
        this.audiences = audiences;
        this.estimates = estimates;
        this.history = history;
        this.catalog = catalog;
        this.inputs = inputs;
        header = new AudienceHeader(audiences, history, ticker);
        title = header.title;
        status = header.status;
        totalEstimate = header.totalEstimate;
        saveDraft = header.saveDraft;
        activate = header.activate;
        download = header.download;
        addClassName("audience-view");
        setSizeFull();
        // here, not in beforeEnter: entering the page again (same route, new id) reuses these buttons
        saveDraft.addClickListener(click -> save(false));
        activate.addClickListener(click -> save(true));
        download.addClickListener(click -> new DownloadDialog(audience, exports,
                abTests).open());
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        long id = event.getRouteParameters().getLong("audienceId").orElse(0L);
        removeAll();
        audience = null;
        try {
            audience = audiences.audience(id);
        } catch (NotFoundException gone) {
            add(new Paragraph(gone.getMessage()));
            return;
        }
        permissions = audiences.permissions(audience.workspaceId());
        builder = new CriteriaBuilder(new WorkspaceCriteriaSources(audience, audiences, catalog),
                this::definitionChanged);
        builder.onFormToggled(() -> leaveGuard.arm(hasUnsavedEdits()));
        details = new DetailsTab(permissions.edit(), this::saveDetails, history, inputs, new DefinitionSaves(
                definitions, () -> audience, this::hasUnsavedEdits, this::definitionSaved));
        tabs = new TabSheet();
        tabs.add("Build", buildTab());
        abTest = new AbTestTab(abTests, audience.id(), permissions.edit());
        abTestTab = tabs.add("A/B Test", abTest);
        connect = new ConnectTab(connections, outputs, abTests, exports, audience, permissions.edit());
        connectTab = tabs.add("Connect", connect);
        tabs.add("Details", details);
        tabs.add("Changes", new ChangesTab(membershipChanges, audience.id()));
        tabs.setSizeFull();
        header.actions.setVisible(permissions.edit());
        header.download.setVisible(permissions.download());
        add(header, tabs);
        showAudience();
    }

    /** The criteria editor and, beside it, what its unsaved edits would change. */
    private Component buildTab() {
        preview = new EditPreviewPanel(previews, new WorkspaceCriteriaSources(audience, audiences, catalog)
                ::audienceName);
        com.vaadin.flow.component.html.Div build = new com.vaadin.flow.component.html.Div(builder, preview);
        build.addClassName("build-tab");
        return build;
    }

    @Override
    public String getPageTitle() {
        return audience == null ? "Audience" : audience.name();
    }

    @Override
    public void beforeLeave(BeforeLeaveEvent event) {
        if (hasUnsavedEdits()) {
            leaveGuard.ask(event, audience.name(), audience.status() == AudienceStatus.ACTIVE,
                    builder.openForm() != null, this::saveBeforeLeaving, () -> builder.load(
                            audience.definition().root(), permissions.edit()));
        }
    }

    /** Criteria edited and not saved, or a criterion form open. */
    boolean hasUnsavedEdits() {
        return audience != null && builder != null && permissions.edit()
                && (builder.openForm() != null || !definition().equals(audience.definition()));
    }

    private void showAudience() {
        builder.load(audience.definition().root(), permissions.edit());
        showSaved();
    }

    /** The saved audience everywhere but in the editor, which may hold unsaved edits. */
    private void showSaved() {
        title.setText(audience.name());
        status.setText(audience.status().label());
        boolean active = audience.status() == AudienceStatus.ACTIVE;
        saveDraft.setText(active ? "Save and recalculate" : "Save as Draft");
        activate.setVisible(!active);
        details.show(audience);
        header.watch(audience.id());
        definitionChanged();
    }

    /** The Details tab saved a new version: other inputs (the editor keeps its edits) or a restored one. */
    private void definitionSaved(Audience saved, boolean intoTheEditor) {
        audience = saved;
        if (intoTheEditor) {
            showAudience();
        } else {
            showSaved();
        }
    }

    Definition definition() {
        return new Definition(builder.tree(), audience.definition().inputIds());
    }

    /** Re-estimates the whole tree and each criterion (a fixed sample: under a second on a million profiles). */
    void definitionChanged() {
        Definition definition = definition();
        boolean unsaved = hasUnsavedEdits();
        leaveGuard.arm(unsaved);
        preview.show(audience, definition);
        if (definition.root().items().isEmpty()) {
            header.showEstimate(null, unsaved);
            return;
        }
        Estimate estimate = estimates.estimate(audience.workspaceId(), definition);
        builder.showEstimates(estimate);
        header.showEstimate(estimate.total(), unsaved);
    }

    private void save(boolean andActivate) {
        if (builder.openForm() != null) {
            Notifications.error("Finish the open criterion first: Done or Cancel.");
            return;
        }
        Definition definition = definition();
        boolean active = audience.status() == AudienceStatus.ACTIVE;
        if (refused(definition, andActivate || active)) {
            return;
        }
        if (active && !definition.equals(audience.definition())) {
            RecalculateConfirmation.open(audience.name(), "The audience recalculates with the new criteria.",
                    () -> store(definition, false));
            return;
        }
        store(definition, andActivate);
    }

    /**
     * Whether the definition cannot be saved, after showing why: a draft is checked against the size limits only;
     * activation and an active audience against everything.
     */
    private boolean refused(Definition definition, boolean validate) {
        List<Problem> problems = DefinitionLimits.check(definition);
        if (problems.isEmpty() && validate) {
            problems = audiences.problems(audience.workspaceId(), audience.id(), definition);
        }
        if (!problems.isEmpty()) {
            builder.showProblems(problems);
            Notifications.error(problems.get(0).toString());
        }
        return !problems.isEmpty();
    }

    /**
     * The leave dialog's save: the edits as they are, never activating; an active audience recalculates (the dialog
     * said so). False, with the reason shown, when they cannot be saved.
     */
    private boolean saveBeforeLeaving() {
        Definition definition = definition();
        if (refused(definition, audience.status() == AudienceStatus.ACTIVE)) {
            return false;
        }
        try {
            audience = audiences.updateDefinition(audience.id(), definition);
            Notifications.success("Saved " + audience.name());
            return true;
        } catch (InvalidRequestException refused) {
            Notifications.error(refused.getMessage());
            return false;
        }
    }

    private void store(Definition definition, boolean andActivate) {
        try {
            if (!definition.equals(audience.definition())) {
                audience = audiences.updateDefinition(audience.id(), definition);
            }
            if (andActivate) {
                audience = audiences.activateAudience(audience.id());
                Notifications.success("Activated " + audience.name() + "; calculating");
                askForAbTest();
                return;
            }
            Notifications.success("Saved " + audience.name());
            showAudience();
        } catch (InvalidRequestException refused) {
            Notifications.error(refused.getMessage());
        }
    }

    /** After activation (PRODUCT.md §3.3): Yes opens the A/B Test tab; No opens the Connect tab. */
    private void askForAbTest() {
        showAudience();
        ConfirmDialog ask = new ConfirmDialog("Set up an A/B test?",
                "Split the members of " + audience.name() + " into variations you can connect and download "
                        + "separately.", "Yes", yes -> tabs.setSelectedTab(abTestTab));
        ask.setCancelable(true);
        ask.setCancelText("No");
        ask.addCancelListener(no -> tabs.setSelectedTab(connectTab));
        ask.open();
    }

    private void saveDetails(String name, String externalName, String description, Set<String> tags) {
        try {
            audience = audienceDetails.updateDetails(audience.id(), name, externalName, description, tags);
            Notifications.success("Saved the details of " + audience.name());
            showAudience();
        } catch (InvalidRequestException refused) {
            Notifications.error(refused.getMessage());
        }
    }
}
