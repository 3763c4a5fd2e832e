package org.openaudience.catalog.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.openaudience.catalog.CatalogAttribute;
import org.openaudience.catalog.DataType;

/** How the catalog screens show times, counts, data types and example values. */
final class CatalogFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private CatalogFormat() {
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    static String count(long count) {
        return String.format(Locale.ENGLISH, "%,d", count);
    }

    static String examples(CatalogAttribute attribute) {
        return String.join(", ", attribute.examples());
    }

    /** The type's label with a small icon, e.g. "#" for numbers. */
    static Component dataType(DataType type) {
        Icon icon = icon(type).create();
        icon.addClassName("data-type-icon");
        icon.getElement().setAttribute("aria-hidden", "true");
        Span badge = new Span(icon, new Span(type.label()));
        badge.addClassName("data-type");
        return badge;
    }

    private static VaadinIcon icon(DataType type) {
        return switch (type) {
            case STRING -> VaadinIcon.TEXT_LABEL;
            case NUMBER -> VaadinIcon.HASH;
            case BOOLEAN -> VaadinIcon.CHECK_SQUARE_O;
            case DATE -> VaadinIcon.CALENDAR;
            case LIST -> VaadinIcon.LIST_UL;
        };
    }

    /** The columns every attribute grid shows: name, detected data type, observations, example values. */
    static void attributeColumns(com.vaadin.flow.component.grid.Grid<CatalogAttribute> grid) {
        grid.addColumn(CatalogAttribute::name).setKey("name").setHeader("Attribute").setAutoWidth(true);
        grid.addComponentColumn(attribute -> CatalogFormat.dataType(attribute.dataType())).setKey("dataType")
                .setHeader("Data type").setAutoWidth(true);
        grid.addColumn(attribute -> CatalogFormat.count(attribute.observations())).setKey("observations")
                .setHeader("Observations").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(CatalogFormat::examples).setKey("examples").setHeader("Example values").setFlexGrow(1)
                .setTooltipGenerator(CatalogFormat::examples);
    }
}
