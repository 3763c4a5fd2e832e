package org.openaudience.audience.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import com.vaadin.flow.shared.Registration;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.openaudience.abtest.AbTestService;
import org.openaudience.output.ConnectionService;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceFilter;
import org.openaudience.audience.AudienceList;
import org.openaudience.audience.AudiencePermissions;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.audience.MemberExports;
import org.openaudience.audience.AudienceSummary;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Group;
import org.openaudience.input.InputService;
import org.openaudience.base.ui.Notifications;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/**
 * Audiences (PRODUCT.md §3.1): the workspace's audiences with status, size and calculation progress, 24-hour adds
 * and drops and tags; search, status and tag filters; row actions by role. While any shown audience calculates,
 * the page refreshes every 2 seconds so sizes and pies move without a reload.
 */
@Route("audiences")
@PageTitle("Audiences")
@Menu(order = 0, title = "Audiences", icon = "vaadin:users")
@PermitAll
@AccessDeniedErrorRouter
public class AudiencesView extends VerticalLayout {

    static final int POLL_MS = 2_000;
    private static final java.text.NumberFormat COUNT = java.text.NumberFormat.getIntegerInstance(
            java.util.Locale.US);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final AudienceService audiences;
    private final AudienceList list;
    private final InputService inputs;
    private final MemberExports exports;
    private final AbTestService abTests;
    /** Variations per audience with an A/B test, for the rows fetched so far. */
    private final java.util.Map<Long, Integer> abTestMarks = new java.util.concurrent.ConcurrentHashMap<>();
    /** Connections per audience, for the rows fetched so far. */
    private final java.util.Map<Long, Integer> connectionCounts = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConnectionService connections;
    final Button newAudience = new Button("New Audience", VaadinIcon.PLUS.create());
    final TextField search = new TextField();
    final Select<AudienceStatus> status = new Select<>();
    final MultiSelectComboBox<String> tags = new MultiSelectComboBox<>("Tags");
    final Grid<AudienceSummary> grid = new Grid<>();
    private Workspace workspace;
    private AudiencePermissions permissions;
    private boolean anyCalculating;
    private Registration polling;

    public AudiencesView(AudienceService audiences, AudienceList list, WorkspaceService workspaces,
                         InputService inputs, MemberExports exports, AbTestService abTests,
                         ConnectionService connections) {
        this.connections = connections;
        this.exports = exports;
        this.abTests = abTests;
        this.audiences = audiences;
        this.list = list;
        this.inputs = inputs;
        addClassName("audiences-view");
        setSizeFull();
        workspaces.currentWorkspace().ifPresentOrElse(current -> {
            workspace = current;
            permissions = audiences.permissions(current.id());
            add(filters(), grid());
        }, () -> add(new Paragraph("There is no workspace yet. Create one in Settings › Workspaces.")));
    }

    private Component filters() {
        search.setLabel("Search");
        search.setPlaceholder("Audience name");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(change -> refresh());
        status.setLabel("Status");
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption("All");
        status.setItems(AudienceStatus.values());
        status.setItemLabelGenerator(value -> value == null ? "All" : value.label());
        status.addValueChangeListener(change -> refresh());
        tags.setItems(list.tags(workspace.id()));
        tags.setPlaceholder("Any");
        tags.addValueChangeListener(change -> refresh());
        newAudience.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        newAudience.addClickListener(click -> new NewAudienceDialog(inputs.inputsOf(workspace.id()),
                (name, externalName, inputIds) -> {
                    Audience created = audiences.createAudience(workspace.id(), name, externalName,
                            new Definition(new Group(List.of()), inputIds));
                    open(created.id());
                }).open());
        newAudience.setVisible(permissions.edit());
        Span spacer = new Span();
        HorizontalLayout filters = new HorizontalLayout(search, status, tags, spacer, newAudience);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        filters.expand(spacer);
        filters.setWidthFull();
        filters.setWrap(true);
        return filters;
    }

    /** An email that may break anywhere rather than hide in a narrow column. */
    private static Span breakable(String text) {
        Span span = new Span(text);
        span.addClassName("breakable");
        return span;
    }

    private static Span wrapping(String header) {
        Span text = new Span(header);
        text.addClassName("wrapping-header");
        return text;
    }

    private Grid<AudienceSummary> grid() {
        // widths that add up to a 1280 px screen with the menu open: headers and cells wrap; the name stays in view
        // (frozen) when a narrower window scrolls the other columns
        grid.addColumn(row -> row.audience().name()).setHeader("Name").setWidth("9rem").setFlexGrow(2)
                .setFrozen(true).setResizable(true);
        grid.addColumn(row -> abTestMarks.containsKey(row.audience().id())
                        ? "A/B · " + abTestMarks.get(row.audience().id()) : "")
                .setKey("abTest").setHeader(wrapping("A/B test")).setWidth("4rem").setFlexGrow(0);
        grid.addColumn(row -> row.audience().id()).setHeader("ID").setWidth("3rem").setFlexGrow(0);
        grid.addColumn(row -> row.audience().status().label()).setHeader("Status").setWidth("4.5rem")
                .setFlexGrow(0);
        grid.addComponentColumn(row -> new ProgressPie(row.progress())).setKey("size").setHeader("Size")
                // the pie and up to "9,999,999" (sizes at 1M profiles were cut off at 4.5rem)
                .setWidth("6.5rem").setFlexGrow(0);
        grid.addColumn(row -> "+" + COUNT.format(row.adds()) + " / −" + COUNT.format(row.drops()))
                .setHeader(wrapping("Adds / Drops (24 h)")).setWidth("6rem").setFlexGrow(0);
        grid.addColumn(row -> connectionCounts.getOrDefault(row.audience().id(), 0)).setKey("outputs")
                .setHeader(wrapping("Connected outputs")).setWidth("5.5rem").setFlexGrow(0);
        grid.addColumn(row -> String.join(", ", row.audience().tagNames())).setHeader("Tags").setWidth("5.5rem")
                .setFlexGrow(1);
        grid.addColumn(row -> TIME.format(row.audience().updatedAt())).setHeader(wrapping("Last updated (UTC)"))
                .setWidth("6.5rem").setFlexGrow(0);
        grid.addComponentColumn(row -> breakable(row.audience().createdBy())).setHeader("Created by")
                .setWidth("6.5rem").setFlexGrow(1);
        grid.addComponentColumn(this::actions).setKey("actions").setHeader("Actions").setWidth("4.5rem")
                .setFlexGrow(0).setFrozenToEnd(true);
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setItems(query -> {
            List<AudienceSummary> page = list.page(workspace.id(), filter(), query.getOffset(), query.getLimit());
            anyCalculating |= page.stream().anyMatch(row -> row.progress().calculating());
            List<Long> ids = page.stream().map(row -> row.audience().id()).toList();
            ids.forEach(id -> { // tests and connections deleted since the last fetch
                abTestMarks.remove(id);
                connectionCounts.remove(id);
            });
            abTestMarks.putAll(abTests.variationCounts(workspace.id(), ids));
            connectionCounts.putAll(connections.connectionCounts(workspace.id(), ids));
            return page.stream();
        }, query -> list.count(workspace.id(), filter()));
        grid.setEmptyStateText("No audiences match.");
        grid.addItemClickListener(click -> open(click.getItem().audience().id()));
        grid.setSizeFull();
        return grid;
    }

    AudienceFilter filter() {
        return new AudienceFilter(search.getValue(), status.getValue(), tags.getValue());
    }

    private Component actions(AudienceSummary row) {
        MenuBar menu = new MenuBar();
        menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE, MenuBarVariant.LUMO_ICON);
        MenuItem more = menu.addItem(VaadinIcon.ELLIPSIS_DOTS_V.create());
        more.setAriaLabel("Actions for " + row.audience().name());
        var items = more.getSubMenu();
        items.addItem("Open", click -> open(row.audience().id()));
        if (permissions.download()) {
            items.addItem("Download members", click -> new DownloadDialog(row.audience(), exports,
                    abTests).open());
        }
        if (permissions.edit()) {
            if (row.audience().status() == AudienceStatus.ACTIVE && !row.progress().calculating()
                    && row.progress().lastError() != null) {
                items.addItem("Retry calculation", click -> {
                    audiences.retryCalculation(row.audience().id());
                    Notifications.success("Calculating " + row.audience().name() + " again");
                    refresh();
                });
            }
            items.addItem("Clone", click -> {
                Audience copy = audiences.cloneAudience(row.audience().id());
                Notifications.success("Cloned " + row.audience().name() + " as the draft " + copy.name()
                        + ", sent to outputs as " + copy.externalName());
                refresh();
            });
            if (row.audience().status() == AudienceStatus.ACTIVE) {
                items.addItem("Deactivate", click -> confirmDeactivation(row));
            } else {
                items.addItem("Activate", click -> {
                    try {
                        audiences.activateAudience(row.audience().id());
                        Notifications.success("Activated " + row.audience().name() + "; calculating");
                        refresh();
                    } catch (InvalidRequestException refused) {
                        Notifications.error(row.audience().name() + " cannot be activated: " + refused.getMessage());
                    }
                });
            }
            items.addItem("Delete", click -> {
                // refused before asking: another audience's membership criteria use this one
                List<String> users = audiences.usedBy(row.audience().id());
                if (users.isEmpty()) {
                    confirmDeletion(row);
                } else {
                    Notifications.error("\"" + row.audience().name() + "\" is used in the Audience membership "
                            + "criteria of " + users.stream().map(name -> "\"" + name + "\"")
                            .collect(java.util.stream.Collectors.joining(", ")) + "; remove those criteria first.");
                }
            });
        }
        return menu;
    }

    private void confirmDeactivation(AudienceSummary row) {
        ConfirmDialog confirm = new ConfirmDialog("Deactivate " + row.audience().name() + "?",
                "Its membership stops following new data; the last complete members stay.", "Deactivate",
                event -> {
                    audiences.deactivateAudience(row.audience().id());
                    Notifications.success("Deactivated " + row.audience().name());
                    refresh();
                });
        confirm.setCancelable(true);
        confirm.open();
    }

    private void confirmDeletion(AudienceSummary row) {
        ConfirmDialog confirm = new ConfirmDialog("Delete " + row.audience().name() + "?",
                "Its definition history and members are removed for good.", "Delete", event -> {
                    try {
                        audiences.deleteAudience(row.audience().id());
                        Notifications.success("Deleted " + row.audience().name());
                        refresh();
                    } catch (InvalidRequestException refused) {
                        Notifications.error(refused.getMessage());
                    }
                });
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    private void open(long audienceId) {
        getUI().ifPresent(ui -> ui.navigate(AudienceView.class,
                new com.vaadin.flow.router.RouteParameters("audienceId", String.valueOf(audienceId))));
    }

    void refresh() {
        anyCalculating = false;
        abTestMarks.clear();
        grid.getDataProvider().refreshAll();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        super.onAttach(attach);
        attach.getUI().setPollInterval(POLL_MS);
        polling = attach.getUI().addPollListener(poll -> {
            if (anyCalculating) {
                refresh();
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        super.onDetach(detach);
        detach.getUI().setPollInterval(-1);
        if (polling != null) {
            polling.remove();
        }
    }
}
