package org.openaudience.audience.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Operator;

/**
 * One attribute condition: attribute (from the catalog, or typed), its data type (detected, overridable, with a
 * warning), the operators of that type and the value editor the operator needs (text, number, number range, date,
 * date range, days, list of values, none).
 */
class ConditionRow extends HorizontalLayout {

    final ComboBox<String> attribute = new ComboBox<>("Attribute");
    final Select<DataType> type = new Select<>();
    final Select<Operator> operator = new Select<>();
    final TextField text = new TextField("Value");
    final NumberField number = new NumberField("Value");
    final NumberField numberTo = new NumberField("and");
    final DatePicker date = new DatePicker("Date");
    final DatePicker dateTo = new DatePicker("and");
    final IntegerField days = new IntegerField("Days");
    final Button remove = new Button(VaadinIcon.CLOSE_SMALL.create());
    private final Span typeWarning = new Span();
    private final Map<String, DataType> detected;

    /** @param detected attribute names of the catalog with their detected types */
    ConditionRow(String label, Map<String, DataType> detected, boolean fixedAttribute) {
        this.detected = detected;
        addClassName("condition-row");
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        setWrap(true);
        attribute.setLabel(label);
        attribute.setItems(detected.keySet().stream().sorted().toList());
        attribute.setAllowCustomValue(true);
        attribute.addCustomValueSetListener(custom -> attribute.setValue(custom.getDetail()));
        attribute.addValueChangeListener(change -> {
            if (change.isFromClient() && change.getValue() != null) {
                type.setValue(detected.getOrDefault(change.getValue(), DataType.STRING));
            }
        });
        attribute.setVisible(!fixedAttribute);
        type.setLabel("Type");
        type.setItems(DataType.values());
        type.setItemLabelGenerator(ConditionRow::typeLabel);
        type.setValue(DataType.STRING);
        type.addValueChangeListener(change -> typeChanged());
        operator.setLabel("Operator");
        operator.setItemLabelGenerator(Operator::label);
        operator.addValueChangeListener(change -> {
            operator.setHelperText(operatorHelp(change.getValue()));
            showValueEditors();
        });
        text.setHelperText(TEXT_HELP);
        text.setValueChangeMode(ValueChangeMode.LAZY);
        text.addValueChangeListener(change -> text.setHelperText(textHelp(operator.getValue(), change.getValue())));
        days.setMin(1);
        remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
        remove.setAriaLabel("Remove condition");
        typeWarning.addClassName("type-warning");
        add(attribute, type, operator, text, number, numberTo, date, dateTo, days, remove, typeWarning);
        typeChanged();
    }

    static String typeLabel(DataType type) {
        return switch (type) {
            case STRING -> "Aa String";
            case NUMBER -> "# Number";
            case BOOLEAN -> "✓ Boolean";
            case DATE -> "📅 Date";
            case LIST -> "[ ] List";
        };
    }

    static final String TEXT_HELP = "Case-insensitive; accents and spaces count";
    static final String LIST_HELP = "Comma-separated; spaces around each value are dropped; case-insensitive";

    /** Spaces at either end count, which is rarely meant: say so while typing. */
    static String textHelp(Operator op, String value) {
        if (op == Operator.IS_IN_LIST) {
            return LIST_HELP;
        }
        boolean padded = value != null && !value.isEmpty()
                && (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1)));
        return padded ? "Starts or ends with a space, which counts: \"" + value + "\" does not match \"" + value.strip()
                + "\"" : TEXT_HELP;
    }

    /** What the operator means where it is not obvious: the text rule, wildcards, and missing values. */
    static String operatorHelp(Operator op) {
        if (op == null) {
            return "";
        }
        if (op.negates() != null) {
            return "Also true when the attribute is missing or of another type; add Exists to require it";
        }
        return switch (op) {
            case PATTERN -> "* any run of characters, ? exactly one; everything else literal";
            case IS_IN_LIST -> "Matches any of the values";
            case INCLUDES, PARTIAL_MATCH -> "Looks at each element of the list";
            case EXISTS -> "Present and not null";
            default -> "";
        };
    }

    /** Restricts the types (platform is a list, location text, first seen a date). */
    void fixType(DataType fixed) {
        type.setValue(fixed);
        type.setReadOnly(true);
    }

    private void typeChanged() {
        DataType chosen = type.getValue() == null ? DataType.STRING : type.getValue();
        Operator previous = operator.getValue();
        List<Operator> operators = Arrays.stream(Operator.values()).filter(op -> op.appliesTo(chosen)).toList();
        operator.setItems(operators);
        operator.setValue(previous != null && operators.contains(previous) ? previous : operators.get(0));
        DataType found = attribute.getValue() == null ? null : detected.get(attribute.getValue());
        boolean overridden = found != null && found != chosen;
        typeWarning.setText(overridden ? "Detected as " + typeLabel(found).substring(2).trim()
                + "; values of another type make this condition fail." : "");
        typeWarning.setVisible(overridden);
        showValueEditors();
    }

    private void showValueEditors() {
        Operator op = operator.getValue();
        List<Component> editors = List.of(text, number, numberTo, date, dateTo, days);
        editors.forEach(editor -> editor.setVisible(false));
        if (op == null || op.valueCount() == 0) {
            return;
        }
        switch (op) {
            case IN_LAST_DAYS, MORE_THAN_DAYS_AGO -> days.setVisible(true);
            case NUMBER_BETWEEN -> {
                number.setVisible(true);
                numberTo.setVisible(true);
            }
            case DATE_BETWEEN -> {
                date.setVisible(true);
                dateTo.setVisible(true);
            }
            case BEFORE, AFTER, ON -> date.setVisible(true);
            case EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_OR_EQUAL, LESS_THAN, LESS_OR_EQUAL -> number.setVisible(true);
            default -> text.setVisible(true);
        }
        text.setLabel(op == Operator.IS_IN_LIST ? "Values (comma-separated)" : "Value");
        text.setHelperText(textHelp(op, text.getValue()));
    }

    /** The condition, or empty after marking the fields that are missing something. */
    Optional<Condition> read() {
        boolean valid = true;
        String name = attribute.getValue() == null ? "" : attribute.getValue().trim();
        if (name.isEmpty()) {
            attribute.setInvalid(true);
            attribute.setErrorMessage("Choose an attribute.");
            valid = false;
        }
        Operator op = operator.getValue();
        List<String> values = new ArrayList<>();
        if (op != null && op.valueCount() != 0) {
            valid &= collect(op, values);
        }
        return valid && op != null ? Optional.of(new Condition(name, type.getValue(), op, values)) : Optional.empty();
    }

    private boolean collect(Operator op, List<String> values) {
        return switch (op) {
            case IN_LAST_DAYS, MORE_THAN_DAYS_AGO -> required(days, days.getValue() == null || days.getValue() < 1,
                    "Enter a number of days (1 or more).") && values.add(String.valueOf(days.getValue()));
            case NUMBER_BETWEEN -> required(number, number.getValue() == null, "Enter a number.")
                    & required(numberTo, numberTo.getValue() == null, "Enter a number.")
                    && required(numberTo, numberTo.getValue() < number.getValue(), "Enter the smaller number first.")
                    && values.addAll(List.of(plain(number.getValue()), plain(numberTo.getValue())));
            case DATE_BETWEEN -> required(date, date.getValue() == null, "Choose a date.")
                    & required(dateTo, dateTo.getValue() == null, "Choose a date.")
                    && required(dateTo, dateTo.getValue().isBefore(date.getValue()), "Choose the earlier date first.")
                    && values.addAll(List.of(date.getValue().toString(), dateTo.getValue().toString()));
            case BEFORE, AFTER, ON -> required(date, date.getValue() == null, "Choose a date.")
                    && values.add(date.getValue().toString());
            case EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_OR_EQUAL, LESS_THAN, LESS_OR_EQUAL ->
                    required(number, number.getValue() == null, "Enter a number.")
                            && values.add(plain(number.getValue()));
            case IS_IN_LIST -> {
                List<String> items = Arrays.stream(text.getValue().split(",")).map(String::trim)
                        .filter(item -> !item.isEmpty()).toList();
                yield required(text, items.isEmpty(), "Enter at least one value.") && values.addAll(items);
            }
            default -> required(text, text.getValue().isBlank(), "Enter a value.") && values.add(text.getValue());
        };
    }

    private static boolean required(com.vaadin.flow.component.HasValidation field, boolean missing, String message) {
        field.setInvalid(missing);
        field.setErrorMessage(missing ? message : null);
        return !missing;
    }

    private static String plain(Double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf(value.longValue())
                : String.valueOf(value);
    }

    /** Shows an existing condition for editing. */
    void load(Condition condition) {
        attribute.setValue(condition.attribute());
        type.setValue(condition.type());
        operator.setValue(condition.operator());
        List<String> values = condition.values();
        switch (condition.operator()) {
            case IN_LAST_DAYS, MORE_THAN_DAYS_AGO -> days.setValue(Integer.valueOf(values.get(0)));
            case NUMBER_BETWEEN -> {
                number.setValue(Double.valueOf(values.get(0)));
                numberTo.setValue(Double.valueOf(values.get(1)));
            }
            case DATE_BETWEEN -> {
                date.setValue(LocalDate.parse(values.get(0)));
                dateTo.setValue(LocalDate.parse(values.get(1)));
            }
            case BEFORE, AFTER, ON -> date.setValue(LocalDate.parse(values.get(0)));
            case EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_OR_EQUAL, LESS_THAN, LESS_OR_EQUAL ->
                    number.setValue(Double.valueOf(values.get(0)));
            default -> text.setValue(String.join(", ", values));
        }
    }
}
