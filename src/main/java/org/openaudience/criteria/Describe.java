package org.openaudience.criteria;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One-line, human-readable summaries of criteria, as the criteria editor's cards and the "why is this user in?"
 * explanations show them, e.g. {@code Play Video · destination Exact Match paris · > 0 in the last 30 days}.
 */
public final class Describe {

    private Describe() {
    }

    /** @param audienceName names audiences for membership criteria */
    public static String criterion(Node node, LongFunction<String> audienceName) {
        if (node instanceof EventCriterion event) {
            return event(event);
        }
        if (node instanceof MembershipCriterion membership) {
            return (membership.member() ? "In audience " : "Not in audience ")
                    + audienceName.apply(membership.audienceId());
        }
        if (node instanceof UserCriterion user) {
            return user(user);
        }
        return "Group of " + ((Group) node).items().size();
    }

    private static String event(EventCriterion criterion) {
        List<String> parts = new ArrayList<>();
        String name = criterion.kind().needsName() ? criterion.name() : criterion.kind().label();
        parts.add(criterion.kind() == EventKind.EVENT || !criterion.kind().needsName() ? name
                : criterion.kind().label() + " · " + name);
        if (criterion.customEventType() != null) {
            parts.add("type " + criterion.customEventType());
        }
        criterion.conditions().forEach(condition -> parts.add(condition(condition)));
        parts.add(frequency(criterion.frequency()) + " " + window(criterion.window()));
        return String.join(" · ", parts);
    }

    private static String user(UserCriterion criterion) {
        String subject = switch (criterion.field()) {
            case ATTRIBUTE -> "User attribute " + criterion.condition().attribute();
            case IDENTITY -> "Identity " + criterion.condition().attribute();
            case DEVICE -> "Device " + criterion.condition().attribute();
            case PLATFORM -> "Platform";
            case COUNTRY -> "Country";
            case REGION -> "Region";
            case CITY -> "City";
            case FIRST_SEEN -> "First seen";
            case LAST_SEEN -> "Last seen";
        };
        return subject + " " + operation(criterion.condition());
    }

    public static String condition(Condition condition) {
        return condition.attribute() + " " + operation(condition);
    }

    private static String operation(Condition condition) {
        String values = switch (condition.operator()) {
            case NUMBER_BETWEEN, DATE_BETWEEN -> condition.values().size() < 2 ? ""
                    : " " + condition.values().get(0) + " and " + condition.values().get(1);
            case IN_LAST_DAYS -> "";
            default -> condition.values().isEmpty() ? ""
                    : " " + String.join(", ", condition.values().stream().map(Describe::shown).toList());
        };
        if (condition.operator() == Operator.IN_LAST_DAYS || condition.operator() == Operator.MORE_THAN_DAYS_AGO) {
            String days = condition.values().isEmpty() ? "N" : condition.values().get(0);
            return condition.operator() == Operator.IN_LAST_DAYS ? "in the last " + days + " days"
                    : "more than " + days + " days ago";
        }
        return condition.operator().label() + values;
    }

    /** Spaces at either end count (TextRule), so such a value is shown in quotes, where they can be seen. */
    private static String shown(String value) {
        boolean padded = !value.isEmpty() && (Character.isWhitespace(value.charAt(0))
                || Character.isWhitespace(value.charAt(value.length() - 1)));
        return padded ? "\"" + value + "\"" : value;
    }

    public static String frequency(Frequency frequency) {
        return Evaluator.describe(frequency);
    }

    public static String window(Window window) {
        if (window instanceof Window.LastDays days) {
            return "in the last " + days.days() + (days.days() == 1 ? " day" : " days");
        } else if (window instanceof Window.LastHours hours) {
            return "in the last " + hours.hours() + (hours.hours() == 1 ? " hour" : " hours");
        } else if (window instanceof Window.DaysAgo ago) {
            return "between " + ago.newest() + " and " + ago.oldest() + " days ago";
        } else if (window instanceof Window.Before before) {
            return "before " + before.date();
        } else if (window instanceof Window.After after) {
            return "after " + after.date();
        } else if (window instanceof Window.On on) {
            return "on " + on.date();
        }
        Window.Between between = (Window.Between) window;
        return "between " + between.first() + " and " + between.last();
    }
}
