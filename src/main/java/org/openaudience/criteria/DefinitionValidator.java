package org.openaudience.criteria;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;

/**
 * Checks a definition before it is saved as active or estimated, with a precise message per problem. Unknown events
 * are those the workspace's catalog has not seen (the caller supplies the check).
 */
public final class DefinitionValidator {

    static final int MAX_DAYS = 3650;

    private final BiPredicate<String, String> knownEvent;
    private final LongFunction<Optional<MembershipTarget>> audiences;
    private final List<Problem> problems = new ArrayList<>();

    /**
     * An audience a membership criterion may point at.
     *
     * @param usesMembership whether its own definition has membership criteria (then it may not be pointed at)
     */
    public record MembershipTarget(String name, boolean usesMembership) {
    }

    private DefinitionValidator(BiPredicate<String, String> knownEvent,
                                LongFunction<Optional<MembershipTarget>> audiences) {
        this.knownEvent = knownEvent;
        this.audiences = audiences;
    }

    /** For definitions without membership criteria (any membership criterion is reported as unknown). */
    public static List<Problem> validate(Definition definition, BiPredicate<String, String> knownEvent) {
        return validate(definition, knownEvent, id -> Optional.empty());
    }

    /**
     * @param knownEvent (event type, event key) → whether the workspace has received such events
     * @param audiences  audience id → the audience of the workspace, if there is one (for the audience being
     *                   edited itself: usesMembership true, so pointing at oneself is refused)
     */
    public static List<Problem> validate(Definition definition, BiPredicate<String, String> knownEvent,
                                         LongFunction<Optional<MembershipTarget>> audiences) {
        DefinitionValidator validator = new DefinitionValidator(knownEvent, audiences);
        validator.problems.addAll(DefinitionLimits.check(definition));
        if (definition.root().items().isEmpty()) {
            validator.problems.add(new Problem("", "criteria", "Add at least one criterion."));
        }
        validator.group(definition.root(), "");
        return List.copyOf(validator.problems);
    }

    private void group(Group group, String prefix) {
        for (int i = 0; i < group.items().size(); i++) {
            Group.Item item = group.items().get(i);
            String path = prefix + (i + 1);
            if (i == 0 && item.connector() != null) {
                problems.add(new Problem(path, "connector", "The first item of a group has no connector."));
            }
            if (i > 0 && item.connector() == null) {
                problems.add(new Problem(path, "connector", "Choose And, Or or Exclude."));
            }
            if (item.node() instanceof Group inner) {
                if (inner.items().isEmpty()) {
                    problems.add(new Problem(path, "group", "This group is empty; add a criterion or remove it."));
                }
                group(inner, path + ".");
            } else if (item.node() instanceof EventCriterion event) {
                event(event, path);
            } else if (item.node() instanceof MembershipCriterion membership) {
                membership(membership, path);
            } else {
                user((UserCriterion) item.node(), path);
            }
        }
    }

    private void event(EventCriterion criterion, String path) {
        if (criterion.kind().needsName()) {
            if (criterion.name() == null || criterion.name().isBlank()) {
                problems.add(new Problem(path, "name", "Choose an event name."));
            } else if (!knownEvent.test(criterion.kind().eventType(), criterion.name())) {
                problems.add(new Problem(path, "name", "\"" + criterion.name() + "\" has not been received in this "
                        + "workspace; choose a name from the list."));
            }
        }
        for (int i = 0; i < criterion.conditions().size(); i++) {
            condition(criterion.conditions().get(i), path, "conditions[" + i + "]");
        }
        Frequency frequency = criterion.frequency();
        if (frequency.count() < 0 || (frequency.comparison() == Frequency.Comparison.BETWEEN && frequency.max() < 0)) {
            problems.add(new Problem(path, "frequency", "Counts cannot be negative."));
        } else if (frequency.comparison() == Frequency.Comparison.BETWEEN && frequency.count() > frequency.max()) {
            problems.add(new Problem(path, "frequency", "Between needs the smaller count first."));
        } else if (frequency.comparison() == Frequency.Comparison.LESS_THAN && frequency.count() == 0) {
            problems.add(new Problem(path, "frequency", "Less than 0 events can never hold."));
        }
        window(criterion.window(), path);
    }

    private void membership(MembershipCriterion criterion, String path) {
        Optional<MembershipTarget> target = audiences.apply(criterion.audienceId());
        if (target.isEmpty()) {
            problems.add(new Problem(path, "audience", "Choose an audience of this workspace."));
        } else if (target.get().usesMembership()) {
            problems.add(new Problem(path, "audience", "\"" + target.get().name() + "\" has audience membership "
                    + "criteria itself; choose an audience without them."));
        }
    }

    private void window(Window window, String path) {
        String problem = null;
        if (window instanceof Window.LastDays days && (days.days() < 1 || days.days() > MAX_DAYS)) {
            problem = "Use 1 to " + MAX_DAYS + " days.";
        } else if (window instanceof Window.LastHours hours && (hours.hours() < 1 || hours.hours() > MAX_DAYS * 24)) {
            problem = "Use at least 1 hour.";
        } else if (window instanceof Window.DaysAgo ago && (ago.newest() < 0 || ago.newest() >= ago.oldest())) {
            problem = "Between N and M days ago needs 0 ≤ N < M.";
        } else if (window instanceof Window.Between between && between.first().isAfter(between.last())) {
            problem = "Between needs the earlier date first.";
        }
        if (problem != null) {
            problems.add(new Problem(path, "window", problem));
        }
    }

    private void user(UserCriterion criterion, String path) {
        Condition condition = criterion.condition();
        DataType required = switch (criterion.field()) {
            case PLATFORM -> DataType.LIST;
            case COUNTRY, REGION, CITY -> DataType.STRING;
            case FIRST_SEEN, LAST_SEEN -> DataType.DATE;
            default -> null;
        };
        if (required != null && condition.type() != required) {
            problems.add(new Problem(path, "type", criterion.field().name().toLowerCase().replace('_', ' ')
                    + " is compared as " + required.name().toLowerCase() + "."));
        }
        condition(condition, path, "condition");
    }

    private void condition(Condition condition, String path, String field) {
        if (condition.attribute() == null || condition.attribute().isBlank()) {
            problems.add(new Problem(path, field + ".attribute", "Choose an attribute."));
        }
        Operator op = condition.operator();
        if (op == null) {
            problems.add(new Problem(path, field + ".operator", "Choose an operator."));
            return;
        }
        if (!op.appliesTo(condition.type())) {
            problems.add(new Problem(path, field + ".operator", op.label() + " does not apply to "
                    + condition.type().name().toLowerCase() + " attributes."));
            return;
        }
        List<String> values = condition.values();
        int expected = op.valueCount();
        if ((expected == -1 && values.isEmpty()) || (expected >= 0 && values.size() != expected)) {
            problems.add(new Problem(path, field + ".values", expected == 0 ? op.label() + " takes no value."
                    : expected == 2 ? op.label() + " needs two values." : "Enter a value."));
            return;
        }
        for (String value : values) {
            String problem = valueProblem(condition.type(), op, value);
            if (problem != null) {
                problems.add(new Problem(path, field + ".values", problem));
                return;
            }
        }
        if (expected == 2 && condition.type() == DataType.NUMBER
                && Double.parseDouble(values.get(0)) > Double.parseDouble(values.get(1))) {
            problems.add(new Problem(path, field + ".values", "Between needs the smaller number first."));
        }
        if (expected == 2 && condition.type() == DataType.DATE
                && LocalDate.parse(values.get(0)).isAfter(LocalDate.parse(values.get(1)))) {
            problems.add(new Problem(path, field + ".values", "Between needs the earlier date first."));
        }
    }

    private static String valueProblem(DataType type, Operator op, String value) {
        if (value == null || value.isBlank()) {
            return "Enter a value.";
        }
        return switch (type) {
            case NUMBER -> ValueMatcher.NUMBER.matcher(value.trim()).matches() ? null
                    : "\"" + value + "\" is not a number (use a dot for decimals).";
            case DATE -> {
                if (op == Operator.IN_LAST_DAYS || op == Operator.MORE_THAN_DAYS_AGO) {
                    yield value.matches("[0-9]{1,4}") ? null : "Enter a number of days.";
                }
                try {
                    LocalDate.parse(value);
                    yield null;
                } catch (DateTimeParseException e) {
                    yield "\"" + value + "\" is not a date like 2026-11-29.";
                }
            }
            default -> null;
        };
    }
}
