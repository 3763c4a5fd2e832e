package org.openaudience.catalog.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import org.openaudience.catalog.CatalogAttribute;
import org.openaudience.catalog.CatalogService;
import org.openaudience.workspace.Workspace;

/** Data › Catalog › User attributes: every user attribute name of the workspace, searched lazily. */
class UserAttributesTab extends VerticalLayout {

    final TextField search = new TextField("Name");
    final Grid<CatalogAttribute> grid = new Grid<>(CatalogAttribute.class, false);

    UserAttributesTab(CatalogService catalog, Workspace workspace) {
        addClassName("catalog-user-attributes");
        setPadding(false);
        setSizeFull();
        search.setPlaceholder("Search attribute names");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> grid.getDataProvider().refreshAll());

        CatalogFormat.attributeColumns(grid);
        grid.addColumn(attribute -> CatalogFormat.time(attribute.lastSeen())).setKey("lastSeen")
                .setHeader("Last seen (UTC)").setAutoWidth(true);
        grid.setItems(query -> catalog.userAttributes(workspace.id(), search.getValue(), query.getOffset(),
                        query.getLimit()).stream(),
                query -> catalog.countUserAttributes(workspace.id(), search.getValue()));
        grid.setSizeFull();
        add(search, grid);
    }
}
