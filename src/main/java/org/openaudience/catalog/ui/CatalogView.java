package org.openaudience.catalog.ui;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openaudience.catalog.CatalogService;
import org.openaudience.catalog.CatalogWriter;
import org.openaudience.input.InputService;
import org.openaudience.input.InputSummary;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Data › Catalog: the event names and user attributes the current workspace has received. Times are UTC. */
@Route("data/catalog")
@PageTitle("Catalog")
@Menu(order = 2, title = "Catalog", icon = "vaadin:book")
@PermitAll
public class CatalogView extends VerticalLayout {

    public CatalogView(CatalogService catalog, WorkspaceService workspaces, InputService inputs) {
        addClassName("catalog-view");
        setSizeFull();
        workspaces.currentWorkspace().ifPresentOrElse(
                workspace -> show(catalog, inputs, workspace),
                () -> add(new Paragraph("You have no workspace yet, so there is no catalog to show. An Admin can "
                        + "create one in Settings › Workspaces or give you access to one in Settings › Team.")));
    }

    private void show(CatalogService catalog, InputService inputs, Workspace workspace) {
        add(new Paragraph("Everything " + workspace.name() + " has received: event names with their attributes, "
                + "and user attributes, each with its detected data type."));
        long dropped = catalog.droppedNames(workspace.id());
        if (dropped > 0) {
            add(overflowNotice(dropped));
            List<CatalogService.InputOverflow> sources = catalog.overflowByInput(workspace.id());
            if (!sources.isEmpty()) {
                add(overflowSources(sources, inputs.inputsOf(workspace.id())));
            }
        }
        TabSheet tabs = new TabSheet();
        tabs.add("Events", new EventsTab(catalog, workspace));
        tabs.add("User attributes", new UserAttributesTab(catalog, workspace));
        tabs.setSizeFull();
        add(tabs);
    }

    private static Paragraph overflowNotice(long dropped) {
        Paragraph notice = new Paragraph(VaadinIcon.INFO_CIRCLE_O.create());
        notice.add("The catalog holds at most " + CatalogFormat.count(CatalogWriter.MAX_NAMES) + " event names and "
                + CatalogFormat.count(CatalogWriter.MAX_NAMES) + " user attributes per workspace; "
                + CatalogFormat.count(dropped) + " newer " + (dropped == 1 ? "name was" : "names were")
                + " stored as events but not catalogued.");
        notice.addClassName("catalog-overflow-notice");
        return notice;
    }

    /** For members who manage inputs: which input keys sent the names left out, so a flooding key can be rotated. */
    private static Paragraph overflowSources(List<CatalogService.InputOverflow> sources, List<InputSummary> known) {
        Map<Long, String> names = known.stream().collect(Collectors.toMap(InputSummary::id, InputSummary::name));
        Paragraph warning = new Paragraph(VaadinIcon.WARNING.create());
        warning.add("Names left out, by the input that sent them: " + sources.stream()
                .map(source -> names.getOrDefault(source.inputId(), "input " + source.inputId()) + " "
                        + CatalogFormat.count(source.droppedNames()) + " (last " + CatalogFormat.time(
                        source.lastDroppedAt()) + ")")
                .collect(Collectors.joining(", "))
                + ". If an input should not be sending new names, rotate its secret in Setup › Inputs.");
        warning.addClassName("catalog-overflow-sources");
        return warning;
    }
}
