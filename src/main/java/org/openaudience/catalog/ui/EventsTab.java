package org.openaudience.catalog.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import org.openaudience.catalog.CatalogEvent;
import org.openaudience.catalog.CatalogService;
import org.openaudience.catalog.EventGroup;
import org.openaudience.workspace.Workspace;

/** Data › Catalog › Events: every event key of the workspace, filtered lazily, with the selected one's attributes. */
class EventsTab extends VerticalLayout {

    private final CatalogService catalog;
    private final Workspace workspace;
    final TextField search = new TextField("Name");
    final Select<EventGroup> type = new Select<>();
    final Grid<CatalogEvent> grid = new Grid<>(CatalogEvent.class, false);
    final EventAttributesPanel details = new EventAttributesPanel();

    EventsTab(CatalogService catalog, Workspace workspace) {
        this.catalog = catalog;
        this.workspace = workspace;
        addClassName("catalog-events");
        setPadding(false);
        setSizeFull();
        Div masterDetail = new Div(grid(), details);
        masterDetail.addClassName("catalog-master-detail");
        masterDetail.setSizeFull();
        add(filters(), masterDetail);
    }

    private FlexLayout filters() {
        search.setPlaceholder("Search event names");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> refresh());
        type.setLabel("Type");
        type.setItems(EventGroup.values());
        type.setEmptySelectionAllowed(true);
        type.setEmptySelectionCaption("All types");
        type.setItemLabelGenerator(group -> group == null ? "All types" : group.label());
        type.addValueChangeListener(e -> refresh());
        FlexLayout filters = new FlexLayout(search, type);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.addClassName("filter-bar");
        return filters;
    }

    private Grid<CatalogEvent> grid() {
        grid.addColumn(event -> event.group().label()).setKey("type").setHeader("Type").setAutoWidth(true);
        grid.addColumn(CatalogEvent::eventKey).setKey("name").setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(CatalogEvent::customEventType).setKey("customEventType").setHeader("Custom event type")
                .setAutoWidth(true);
        grid.addColumn(event -> CatalogFormat.count(event.count())).setKey("count").setHeader("Count")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(event -> CatalogFormat.time(event.firstSeen())).setKey("firstSeen")
                .setHeader("First seen (UTC)").setAutoWidth(true);
        grid.addColumn(event -> CatalogFormat.time(event.lastSeen())).setKey("lastSeen")
                .setHeader("Last seen (UTC)").setAutoWidth(true);
        grid.setItems(query -> catalog.events(workspace.id(), type.getValue(), search.getValue(), query.getOffset(),
                        query.getLimit()).stream(),
                query -> catalog.countEvents(workspace.id(), type.getValue(), search.getValue()));
        grid.asSingleSelect().addValueChangeListener(e -> showDetails(e.getValue()));
        grid.addClassName("catalog-events-grid");
        return grid;
    }

    private void showDetails(CatalogEvent event) {
        if (event == null) {
            details.clear();
        } else {
            details.show(event, catalog.eventAttributes(workspace.id(), event.eventType(), event.eventKey()));
        }
    }

    private void refresh() {
        grid.deselectAll();
        grid.getDataProvider().refreshAll();
    }
}
