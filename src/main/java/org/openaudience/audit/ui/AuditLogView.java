package org.openaudience.audit.ui;

import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import jakarta.annotation.security.RolesAllowed;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.security.Role;

/** Settings › Audit log: who did what, when and from where, newest first, with filters. Times are UTC. */
@Route("settings/audit-log")
@PageTitle("Audit log")
@Menu(order = 40, title = "Audit log", icon = "vaadin:records")
@RolesAllowed({Role.Names.ADMIN, Role.Names.SUPPORT})
@AccessDeniedErrorRouter
public class AuditLogView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final AuditLog audit;
    final MultiSelectComboBox<AuditAction> actions = new MultiSelectComboBox<>("Actions");
    final TextField text = new TextField("Member, target or detail");
    final DatePicker from = new DatePicker("From (UTC)");
    final DatePicker to = new DatePicker("To (UTC)");
    final Grid<AuditEntry> grid = new Grid<>(AuditEntry.class, false);

    public AuditLogView(AuditLog audit) {
        this.audit = audit;
        addClassName("audit-log-view");
        setSizeFull();
        add(filters(), grid());
    }

    private FlexLayout filters() {
        actions.setItems(AuditAction.values());
        actions.setItemLabelGenerator(AuditAction::label);
        actions.addValueChangeListener(e -> refresh());
        text.setPrefixComponent(VaadinIcon.SEARCH.create());
        text.setValueChangeMode(ValueChangeMode.LAZY);
        text.setClearButtonVisible(true);
        text.addValueChangeListener(e -> refresh());
        from.setClearButtonVisible(true);
        to.setClearButtonVisible(true);
        // the grid shows ISO dates; the pickers read and write the same form
        DatePicker.DatePickerI18n iso = new DatePicker.DatePickerI18n().setDateFormat("yyyy-MM-dd");
        from.setI18n(iso);
        to.setI18n(iso);
        from.addValueChangeListener(e -> refresh());
        to.addValueChangeListener(e -> refresh());
        FlexLayout filters = new FlexLayout(actions, text, from, to);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.addClassName("filter-bar");
        return filters;
    }

    private Grid<AuditEntry> grid() {
        grid.addColumn(e -> TIME.format(e.occurredAt())).setHeader("Time (UTC)").setAutoWidth(true);
        grid.addColumn(AuditEntry::actor).setHeader("Member").setAutoWidth(true);
        grid.addColumn(e -> e.action().label()).setKey("action").setHeader("Action").setAutoWidth(true);
        grid.addColumn(AuditEntry::target).setKey("target").setHeader("Target").setAutoWidth(true);
        grid.addColumn(AuditEntry::detail).setHeader("Detail").setFlexGrow(1).setTooltipGenerator(AuditEntry::detail);
        grid.addColumn(AuditEntry::clientAddress).setHeader("Address").setAutoWidth(true);
        grid.setItems(query -> audit.page(filter(), query.getOffset(), query.getLimit()),
                query -> audit.count(filter()));
        grid.setSizeFull();
        return grid;
    }

    private AuditFilter filter() {
        LocalDate fromDate = from.getValue();
        LocalDate toDate = to.getValue();
        return new AuditFilter(actions.getValue(), text.getValue(),
                fromDate == null ? null : fromDate.atStartOfDay().toInstant(ZoneOffset.UTC),
                toDate == null ? null : toDate.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    private void refresh() {
        grid.getDataProvider().refreshAll();
    }
}
