package org.openaudience.catalog.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.List;
import org.openaudience.catalog.CatalogAttribute;
import org.openaudience.catalog.CatalogEvent;

/** The details of one catalogued event: the attributes seen on it, with their detected types. */
class EventAttributesPanel extends VerticalLayout {

    final H3 title = new H3();
    final Paragraph summary = new Paragraph();
    final Grid<CatalogAttribute> grid = new Grid<>(CatalogAttribute.class, false);

    EventAttributesPanel() {
        addClassName("catalog-event-details");
        setPadding(false);
        title.addClassName("catalog-event-title");
        CatalogFormat.attributeColumns(grid);
        grid.setAllRowsVisible(true);
        add(title, summary, grid);
        setVisible(false);
    }

    void show(CatalogEvent event, List<CatalogAttribute> attributes) {
        title.setText(event.eventKey());
        String custom = event.customEventType() == null ? "" : " (" + event.customEventType() + ")";
        summary.setText(event.group().label() + custom + " · " + CatalogFormat.count(event.count())
                + (event.count() == 1 ? " event · " : " events · ") + (attributes.isEmpty() ? "no attributes seen yet" : attributes.size()
                + (attributes.size() == 1 ? " attribute" : " attributes")));
        grid.setItems(attributes);
        grid.setVisible(!attributes.isEmpty());
        setVisible(true);
    }

    void clear() {
        grid.setItems(List.of());
        setVisible(false);
    }
}
