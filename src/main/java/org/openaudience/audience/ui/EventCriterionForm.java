package org.openaudience.audience.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Node;

/**
 * An event criterion (Events, Screen Views, Ecommerce, Sessions, Crashes, App lifecycle): the event name from the
 * catalog, attribute conditions that must hold for the same event, and Recency / Frequency.
 */
class EventCriterionForm extends CriterionForm {

    private final EventKind kind;
    private final CriteriaSources sources;
    final ComboBox<String> name = new ComboBox<>();
    final TextField customEventType = new TextField("Custom event type (optional)");
    final VerticalLayout conditions = new VerticalLayout();
    final Button addCondition = new Button("Add attribute condition", VaadinIcon.PLUS.create());
    final Select<Frequency.Comparison> comparison = new Select<>();
    final IntegerField count = new IntegerField("Count");
    final IntegerField max = new IntegerField("and");
    final WindowFields window = new WindowFields();
    private Map<String, DataType> attributes = Map.of();

    EventCriterionForm(EventKind kind, CriteriaSources sources, Consumer<Node> onDone, Runnable onCancel) {
        super(kind.label(), onDone, onCancel);
        this.kind = kind;
        this.sources = sources;
        add(eventName(), conditionsPart(), recencyAndFrequency());
        addButtons();
    }

    private HorizontalLayout eventName() {
        name.setLabel(switch (kind) {
            case SCREEN_VIEW -> "Screen name";
            case ECOMMERCE -> "Product action";
            default -> "Event name";
        });
        name.setPlaceholder("Type to filter");
        name.setWidth("22em");
        // lazy: large catalogs are filtered in the database, a page at a time
        name.setItems(query -> sources.eventNames(kind, query.getFilter().orElse(""), query.getOffset(),
                query.getLimit()), query -> sources.countEventNames(kind, query.getFilter().orElse("")));
        name.addValueChangeListener(change -> attributes = change.getValue() == null ? Map.of()
                : sources.eventAttributes(kind, change.getValue()));
        name.setVisible(kind.needsName());
        if (!kind.needsName()) {
            attributes = sources.eventAttributes(kind, null);
        }
        customEventType.setVisible(kind == EventKind.EVENT);
        HorizontalLayout row = new HorizontalLayout(name, customEventType);
        row.setWrap(true);
        return row;
    }

    private VerticalLayout conditionsPart() {
        conditions.setPadding(false);
        conditions.setSpacing(false);
        addCondition.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        addCondition.addClickListener(click -> addConditionRow());
        VerticalLayout part = new VerticalLayout(new Span("Attributes (all must hold for the same event)"),
                conditions, addCondition);
        part.setPadding(false);
        part.setSpacing(false);
        return part;
    }

    ConditionRow addConditionRow() {
        ConditionRow row = new ConditionRow("Attribute", attributes, false);
        row.remove.addClickListener(click -> conditions.remove(row));
        conditions.add(row);
        return row;
    }

    private HorizontalLayout recencyAndFrequency() {
        comparison.setLabel("Recency / Frequency");
        comparison.setItems(Frequency.Comparison.values());
        comparison.setItemLabelGenerator(EventCriterionForm::comparisonLabel);
        comparison.setValue(Frequency.Comparison.GREATER_THAN);
        comparison.addValueChangeListener(change -> max.setVisible(change.getValue() == Frequency.Comparison.BETWEEN));
        count.setValue(0);
        count.setMin(0);
        count.setStepButtonsVisible(true);
        count.setWidth("7em");
        max.setVisible(false);
        max.setMin(0);
        max.setWidth("7em");
        HorizontalLayout row = new HorizontalLayout(comparison, count, max, new Span("events"), window);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        row.setWrap(true);
        return row;
    }

    static String comparisonLabel(Frequency.Comparison comparison) {
        return switch (comparison) {
            case GREATER_THAN -> "Greater than";
            case AT_LEAST -> "At least";
            case EXACTLY -> "Exactly";
            case LESS_THAN -> "Less than";
            case BETWEEN -> "Between";
        };
    }

    @Override
    Optional<Node> read() {
        boolean valid = true;
        if (kind.needsName() && (name.getValue() == null || name.getValue().isBlank())) {
            name.setInvalid(true);
            name.setErrorMessage("Choose a name from the list.");
            valid = false;
        }
        List<Condition> read = new ArrayList<>();
        for (var child : conditions.getChildren().toList()) {
            Optional<Condition> condition = ((ConditionRow) child).read();
            condition.ifPresent(read::add);
            valid &= condition.isPresent();
        }
        boolean between = comparison.getValue() == Frequency.Comparison.BETWEEN;
        if (count.getValue() == null || count.getValue() < 0) {
            count.setInvalid(true);
            count.setErrorMessage("Enter a count of 0 or more.");
            valid = false;
        } else if (between && (max.getValue() == null || max.getValue() < count.getValue())) {
            max.setInvalid(true);
            max.setErrorMessage("Enter a count not below the first.");
            valid = false;
        }
        var chosenWindow = window.read();
        if (!valid || chosenWindow.isEmpty()) {
            return Optional.empty();
        }
        String type = customEventType.getValue().isBlank() ? null : customEventType.getValue().trim();
        Frequency frequency = new Frequency(comparison.getValue(), count.getValue(),
                between ? max.getValue() : count.getValue());
        return Optional.of(new EventCriterion(kind, kind.needsName() ? name.getValue() : null, type, read, frequency,
                chosenWindow.get()));
    }

    @Override
    void focusFirst() {
        if (name.isVisible()) {
            name.focus();
        } else {
            comparison.focus();
        }
    }

    /** Shows an existing criterion for editing. */
    void load(EventCriterion criterion) {
        if (kind.needsName()) {
            name.setValue(criterion.name());
        }
        customEventType.setValue(criterion.customEventType() == null ? "" : criterion.customEventType());
        criterion.conditions().forEach(condition -> addConditionRow().load(condition));
        comparison.setValue(criterion.frequency().comparison());
        count.setValue((int) criterion.frequency().count());
        max.setValue((int) criterion.frequency().max());
        window.load(criterion.window());
    }

    @Override
    void showProblem(String field, String message) {
        if (field.equals("name")) {
            name.setInvalid(true);
            name.setErrorMessage(message);
        } else if (field.equals("frequency")) {
            count.setInvalid(true);
            count.setErrorMessage(message);
        } else if (field.equals("window")) {
            window.showProblem(message);
        } else if (field.startsWith("conditions[")) {
            int index = Integer.parseInt(field.substring("conditions[".length(), field.indexOf(']')));
            conditions.getComponentAt(index).getElement().setAttribute("title", message);
            ((ConditionRow) conditions.getComponentAt(index)).attribute.setInvalid(true);
            ((ConditionRow) conditions.getComponentAt(index)).attribute.setErrorMessage(message);
        }
    }

    /** Dates for the window fields are UTC days. */
    static DatePicker datePicker(String label) {
        DatePicker picker = new DatePicker(label);
        picker.setWidth("10em");
        return picker;
    }
}
