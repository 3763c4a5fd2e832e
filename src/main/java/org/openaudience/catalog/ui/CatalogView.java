package org.openaudience.catalog.ui;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import org.openaudience.catalog.CatalogService;
import org.openaudience.catalog.CatalogWriter;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Data › Catalog: the event names and user attributes the current workspace has received. Times are UTC. */
@Route("data/catalog")
@PageTitle("Catalog")
@Menu(order = 2, title = "Catalog", icon = "vaadin:book")
@PermitAll
public class CatalogView extends VerticalLayout {

    public CatalogView(CatalogService catalog, WorkspaceService workspaces) {
        addClassName("catalog-view");
        setSizeFull();
        workspaces.currentWorkspace().ifPresentOrElse(
                workspace -> show(catalog, workspace),
                () -> add(new Paragraph("You have no workspace yet, so there is no catalog to show. An Admin can "
                        + "create one in Settings › Workspaces or give you access to one in Settings › Team.")));
    }

    private void show(CatalogService catalog, Workspace workspace) {
        add(new Paragraph("Everything " + workspace.name() + " has received: event names with their attributes, "
                + "and user attributes, each with its detected data type."));
        long dropped = catalog.droppedNames(workspace.id());
        if (dropped > 0) {
            add(overflowNotice(dropped));
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
}
