package org.openaudience.audience.ui;

import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import java.util.Optional;
import org.openaudience.criteria.Window;

/** The time window of an event criterion: in the last N days / hours, N to M days ago, before / after / on a date. */
class WindowFields extends HorizontalLayout {

    enum Kind {
        LAST_DAYS("in the last N days"), LAST_HOURS("in the last N hours"), DAYS_AGO("between N and M days ago"),
        BEFORE("before"), AFTER("after"), ON("on"), BETWEEN("between dates");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    final Select<Kind> kind = new Select<>();
    final IntegerField amount = new IntegerField("N");
    final IntegerField oldest = new IntegerField("M");
    final DatePicker date = EventCriterionForm.datePicker("Date");
    final DatePicker last = EventCriterionForm.datePicker("and");

    WindowFields() {
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        setWrap(true);
        kind.setLabel("When");
        kind.setItems(Kind.values());
        kind.setItemLabelGenerator(value -> value.label);
        kind.addValueChangeListener(change -> show(change.getValue()));
        amount.setMin(0);
        amount.setWidth("6em");
        oldest.setMin(1);
        oldest.setWidth("6em");
        add(kind, amount, oldest, date, last);
        load(Window.DEFAULT);
    }

    private void show(Kind chosen) {
        amount.setVisible(chosen == Kind.LAST_DAYS || chosen == Kind.LAST_HOURS || chosen == Kind.DAYS_AGO);
        amount.setLabel(chosen == Kind.LAST_HOURS ? "Hours" : chosen == Kind.DAYS_AGO ? "From (days ago)" : "Days");
        oldest.setVisible(chosen == Kind.DAYS_AGO);
        oldest.setLabel("To (days ago)");
        date.setVisible(chosen == Kind.BEFORE || chosen == Kind.AFTER || chosen == Kind.ON || chosen == Kind.BETWEEN);
        last.setVisible(chosen == Kind.BETWEEN);
    }

    Optional<Window> read() {
        Kind chosen = kind.getValue();
        try {
            return Optional.of(switch (chosen) {
                case LAST_DAYS -> new Window.LastDays(positive(amount));
                case LAST_HOURS -> new Window.LastHours(positive(amount));
                case DAYS_AGO -> new Window.DaysAgo(value(amount), positive(oldest));
                case BEFORE -> new Window.Before(day(date));
                case AFTER -> new Window.After(day(date));
                case ON -> new Window.On(day(date));
                case BETWEEN -> new Window.Between(day(date), day(last));
            });
        } catch (IllegalArgumentException missing) {
            return Optional.empty();
        }
    }

    private static int value(IntegerField field) {
        boolean missing = field.getValue() == null || field.getValue() < 0;
        field.setInvalid(missing);
        field.setErrorMessage(missing ? "Enter a number." : null);
        if (missing) {
            throw new IllegalArgumentException(field.getLabel());
        }
        return field.getValue();
    }

    private static int positive(IntegerField field) {
        int value = value(field);
        if (value < 1) {
            field.setInvalid(true);
            field.setErrorMessage("Use 1 or more.");
            throw new IllegalArgumentException(field.getLabel());
        }
        return value;
    }

    private static java.time.LocalDate day(DatePicker picker) {
        boolean missing = picker.getValue() == null;
        picker.setInvalid(missing);
        picker.setErrorMessage(missing ? "Choose a date." : null);
        if (missing) {
            throw new IllegalArgumentException(picker.getLabel());
        }
        return picker.getValue();
    }

    void load(Window window) {
        if (window instanceof Window.LastDays days) {
            kind.setValue(Kind.LAST_DAYS);
            amount.setValue(days.days());
        } else if (window instanceof Window.LastHours hours) {
            kind.setValue(Kind.LAST_HOURS);
            amount.setValue(hours.hours());
        } else if (window instanceof Window.DaysAgo ago) {
            kind.setValue(Kind.DAYS_AGO);
            amount.setValue(ago.newest());
            oldest.setValue(ago.oldest());
        } else if (window instanceof Window.Before before) {
            kind.setValue(Kind.BEFORE);
            date.setValue(before.date());
        } else if (window instanceof Window.After after) {
            kind.setValue(Kind.AFTER);
            date.setValue(after.date());
        } else if (window instanceof Window.On on) {
            kind.setValue(Kind.ON);
            date.setValue(on.date());
        } else if (window instanceof Window.Between between) {
            kind.setValue(Kind.BETWEEN);
            date.setValue(between.first());
            last.setValue(between.last());
        }
        show(kind.getValue());
    }

    void showProblem(String message) {
        IntegerField target = oldest.isVisible() ? oldest : amount;
        if (target.isVisible()) {
            target.setInvalid(true);
            target.setErrorMessage(message);
        } else {
            (last.isVisible() ? last : date).setInvalid(true);
            (last.isVisible() ? last : date).setErrorMessage(message);
        }
    }
}
