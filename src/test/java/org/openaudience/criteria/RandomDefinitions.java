package org.openaudience.criteria;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Random audience definitions over the attribute and value pools of {@link RandomProfiles}. */
final class RandomDefinitions {

    private final Random random;
    private final Instant now;
    private final List<Long> inputIds;
    private final List<Long> audienceIds;

    RandomDefinitions(Random random, Instant now, List<Long> inputIds, List<Long> audienceIds) {
        this.random = random;
        this.now = now;
        this.inputIds = inputIds;
        this.audienceIds = audienceIds;
    }

    Definition next() {
        Set<Long> inputs = random.nextInt(4) == 0 ? Set.of(inputIds.get(random.nextInt(inputIds.size()))) : Set.of();
        return new Definition(group(0), inputs);
    }

    /**
     * A definition whose first item is a group of event criteria joined by Or (the shape a union of their
     * qualifying profiles drives), followed by random items.
     */
    Definition nextWithAlternatives() {
        List<Group.Item> items = new ArrayList<>(List.of(new Group.Item(null, alternatives())));
        for (int i = random.nextInt(3); i > 0; i--) {
            items.add(new Group.Item(pick(Connector.values()), random.nextInt(4) == 0 ? group(1) : criterion()));
        }
        Set<Long> inputs = random.nextInt(4) == 0 ? Set.of(inputIds.get(random.nextInt(inputIds.size()))) : Set.of();
        return new Definition(new Group(items), inputs);
    }

    /**
     * An event criterion or a group of alternatives first, then Users attribute tests of one value joined by And or
     * Exclude, then perhaps a random item: the shape in which event MPIDs drive and indexed profile attributes are
     * looked up per MPID.
     */
    Definition nextWithOneValueUserTests() {
        List<Group.Item> items = new ArrayList<>();
        items.add(new Group.Item(null, random.nextBoolean() ? eventCriterion() : alternatives()));
        for (int i = 1 + random.nextInt(2); i > 0; i--) {
            items.add(new Group.Item(random.nextBoolean() ? Connector.AND : Connector.EXCLUDE, oneValueUserTest()));
        }
        if (random.nextInt(3) == 0) {
            items.add(new Group.Item(pick(Connector.values()), criterion()));
        }
        return new Definition(new Group(items), Set.of());
    }

    /** Two or three event criteria joined by Or. */
    private Group alternatives() {
        List<Group.Item> alternatives = new ArrayList<>();
        for (int i = 0, n = 2 + random.nextInt(2); i < n; i++) {
            alternatives.add(new Group.Item(i == 0 ? null : Connector.OR, eventCriterion()));
        }
        return new Group(alternatives);
    }

    private UserCriterion oneValueUserTest() {
        String attribute = pick(RandomProfiles.USER_ATTRIBUTES);
        Operator op = pick(List.of(Operator.EXACT_MATCH, Operator.DOES_NOT_MATCH, Operator.IS_IN_LIST, Operator.IS_TRUE,
                Operator.IS_FALSE));
        DataType type = op == Operator.IS_TRUE || op == Operator.IS_FALSE ? DataType.BOOLEAN : DataType.STRING;
        List<String> values = type == DataType.BOOLEAN ? List.of() : List.of(text());
        return new UserCriterion(UserField.ATTRIBUTE, new Condition(attribute, type, op, values));
    }

    private Group group(int depth) {
        int size = 1 + random.nextInt(depth == 0 ? 4 : 3);
        List<Group.Item> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Node node = depth < 2 && random.nextInt(5) == 0 ? group(depth + 1) : criterion();
            items.add(new Group.Item(i == 0 ? null : pick(Connector.values()), node));
        }
        return new Group(items);
    }

    private Node criterion() {
        int kind = random.nextInt(20);
        return kind < 12 ? eventCriterion() : kind < 19 || audienceIds.isEmpty() ? userCriterion()
                : new MembershipCriterion(pick(audienceIds), random.nextBoolean());
    }

    private EventCriterion eventCriterion() {
        EventKind kind = pick(EventKind.values());
        String name = switch (kind) {
            case EVENT -> random.nextInt(4) == 0 ? pick(RandomProfiles.NAME_VARIANTS)
                    : pick(RandomProfiles.EVENT_NAMES);
            case SCREEN_VIEW -> pick(RandomProfiles.SCREENS);
            case ECOMMERCE -> pick(RandomProfiles.ACTIONS);
            default -> null;
        };
        String customType = kind == EventKind.EVENT && random.nextInt(4) == 0 ? pick(List.of("media", "search",
                "other", "MEDIA", "Média")) : null;
        List<Condition> conditions = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            conditions.add(condition(pick(RandomProfiles.EVENT_ATTRIBUTES)));
        }
        return new EventCriterion(kind, name, customType, conditions, frequency(), window());
    }

    private UserCriterion userCriterion() {
        UserField field = pick(UserField.values());
        return switch (field) {
            case ATTRIBUTE -> new UserCriterion(field, condition(pick(RandomProfiles.USER_ATTRIBUTES)));
            case IDENTITY -> new UserCriterion(field, condition(pick(List.of("customer_id", "email", "other"))));
            case DEVICE -> new UserCriterion(field, condition(pick(List.of("os_version", "device_model"))));
            case PLATFORM -> new UserCriterion(field, new Condition("platform", DataType.LIST,
                    pick(List.of(Operator.INCLUDES, Operator.DOES_NOT_INCLUDE, Operator.PARTIAL_MATCH,
                            Operator.EXISTS)), List.of(pick(List.of("iOS", "web", "android", "i")))));
            case COUNTRY, REGION, CITY -> new UserCriterion(field, condition(field.name(), DataType.STRING));
            case FIRST_SEEN, LAST_SEEN -> new UserCriterion(field, condition(field.name(), DataType.DATE));
        };
    }

    private Condition condition(String attribute) {
        return condition(attribute, pick(DataType.values()));
    }

    private Condition condition(String attribute, DataType type) {
        List<Operator> operators = java.util.Arrays.stream(Operator.values()).filter(op -> op.appliesTo(type))
                .toList();
        Operator op = pick(operators);
        List<String> values = switch (op.valueCount()) {
            case 0 -> List.of();
            case 2 -> twoValues(type);
            case -1 -> List.of(text(), text());
            default -> List.of(oneValue(type, op));
        };
        return new Condition(attribute, type, op, values);
    }

    private String oneValue(DataType type, Operator op) {
        return switch (type) {
            case NUMBER -> pick(List.of("12", "12.5", "-3", "0", "100", "7.5"));
            case DATE -> op == Operator.IN_LAST_DAYS || op == Operator.MORE_THAN_DAYS_AGO
                    ? String.valueOf(random.nextInt(60)) : day(random.nextInt(70));
            case STRING -> op == Operator.PATTERN ? pick(List.of("pa*", "*s", "p?ris", "a!_b*", "*", "s?o*", "*ß",
                    "?", "*%*", "_*", "m?nchen", "😀*", "? gold", "ΟΔΟ?")) : text();
            default -> text();
        };
    }

    private String text() {
        return random.nextInt(3) == 0 ? pick(RandomProfiles.ODD_TEXT) : pick(RandomProfiles.STRINGS);
    }

    private List<String> twoValues(DataType type) {
        if (type == DataType.NUMBER) {
            return List.of(pick(List.of("-5", "0", "10")), pick(List.of("12", "12.5", "100")));
        }
        int older = 10 + random.nextInt(60);
        return List.of(day(older), day(random.nextInt(older)));
    }

    private String day(int daysAgo) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(daysAgo).toString();
    }

    private Frequency frequency() {
        Frequency.Comparison comparison = pick(Frequency.Comparison.values());
        long count = random.nextInt(4);
        return new Frequency(comparison, count, count + random.nextInt(3));
    }

    private Window window() {
        return switch (random.nextInt(7)) {
            case 0 -> new Window.LastDays(1 + random.nextInt(60));
            case 1 -> new Window.LastHours(1 + random.nextInt(72));
            case 2 -> {
                int newest = random.nextInt(20);
                yield new Window.DaysAgo(newest, newest + 1 + random.nextInt(30));
            }
            case 3 -> new Window.Before(LocalDate.parse(day(random.nextInt(60))));
            case 4 -> new Window.After(LocalDate.parse(day(random.nextInt(60))));
            case 5 -> new Window.On(LocalDate.parse(day(random.nextInt(10))));
            default -> {
                int older = 1 + random.nextInt(60);
                yield new Window.Between(LocalDate.parse(day(older)), LocalDate.parse(day(random.nextInt(older))));
            }
        };
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
