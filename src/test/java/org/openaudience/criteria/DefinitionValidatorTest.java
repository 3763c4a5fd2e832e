package org.openaudience.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionValidatorTest {

    static List<Problem> validate(Node... nodes) {
        Group group = Group.of(nodes[0]);
        for (int i = 1; i < nodes.length; i++) {
            group = group.then(Connector.AND, nodes[i]);
        }
        return DefinitionValidator.validate(new Definition(group, null),
                (type, key) -> List.of("Play Video", "Search", "purchase").contains(key));
    }

    @Test
    void a_valid_definition_has_no_problems() {
        assertThat(validate(EventCriterion.event("Play Video",
                        Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "Paris")),
                UserCriterion.attribute("status", DataType.STRING, Operator.IS_IN_LIST, "premium", "trial"))).isEmpty();
    }

    @Test
    void an_empty_definition_and_an_empty_group_are_refused() {
        assertThat(DefinitionValidator.validate(new Definition(new Group(List.of()), null), (t, k) -> true))
                .extracting(Problem::message).containsExactly("Add at least one criterion.");
        assertThat(validate(EventCriterion.event("Search"), new Group(List.of())))
                .extracting(Problem::path, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2",
                        "This group is empty; add a criterion or remove it."));
    }

    @Test
    void empty_values_are_refused_where_they_are() {
        assertThat(validate(EventCriterion.event("Search"), EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, " "))))
                .extracting(Problem::toString)
                .containsExactly("Criterion 2 · conditions[0].values: Enter a value.");
    }

    @Test
    void between_with_min_above_max_is_refused() {
        assertThat(validate(EventCriterion.event("Play Video",
                Condition.of("price", DataType.NUMBER, Operator.NUMBER_BETWEEN, "100", "10"))))
                .extracting(Problem::message).containsExactly("Between needs the smaller number first.");
        assertThat(validate(new EventCriterion(EventKind.EVENT, "Search", null, List.of(),
                new Frequency(Frequency.Comparison.BETWEEN, 5, 2), new Window.Between(LocalDate.parse("2026-11-10"),
                LocalDate.parse("2026-11-01")))))
                .extracting(Problem::field).containsExactly("frequency", "window");
    }

    @Test
    void an_unknown_event_is_refused() {
        assertThat(validate(EventCriterion.event("Play Vidoe"))).extracting(Problem::message)
                .containsExactly("\"Play Vidoe\" has not been received in this workspace; choose a name from the list.");
    }

    @Test
    void an_operator_of_another_type_and_a_malformed_number_are_refused() {
        assertThat(validate(UserCriterion.attribute("age", DataType.NUMBER, Operator.CONTAINS, "3")))
                .extracting(Problem::message).containsExactly("Contains does not apply to number attributes.");
        assertThat(validate(UserCriterion.attribute("age", DataType.NUMBER, Operator.GREATER_THAN, "12,5")))
                .extracting(Problem::message)
                .containsExactly("\"12,5\" is not a number (use a dot for decimals).");
        assertThat(validate(new UserCriterion(UserField.PLATFORM,
                Condition.of("platform", DataType.STRING, Operator.EXACT_MATCH, "iOS"))))
                .extracting(Problem::message).containsExactly("platform is compared as list.");
    }

    @Test
    void definitions_beyond_the_size_limits_are_refused_where_they_exceed_them() {
        Node[] many = new Node[DefinitionLimits.MAX_CRITERIA + 1];
        java.util.Arrays.fill(many, EventCriterion.event("Search"));
        assertThat(validate(many)).extracting(Problem::field, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("criteria",
                        "At most 50 criteria per audience; this one has 51."));
        assertThat(validate(java.util.Arrays.copyOf(many, DefinitionLimits.MAX_CRITERIA))).isEmpty();

        Node deepest = Group.of(Group.of(Group.of(EventCriterion.event("Search"))));
        assertThat(validate(deepest)).isEmpty();
        assertThat(validate(Group.of(deepest))).extracting(Problem::path, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.1.1.1", "Groups nest at most 3 levels deep."));

        String[] values = new String[DefinitionLimits.MAX_LIST_VALUES + 1];
        java.util.Arrays.fill(values, "gold");
        assertThat(validate(UserCriterion.attribute("status", DataType.STRING, Operator.IS_IN_LIST, values)))
                .extracting(Problem::message).containsExactly("At most 500 values; this list has 501.");

        // characters, not UTF-16 units: 4,096 emoji are allowed, one more is not
        String longest = "😀".repeat(DefinitionLimits.MAX_VALUE_LENGTH);
        assertThat(validate(EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, longest)))).isEmpty();
        assertThat(validate(EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, longest + "x"))))
                .extracting(Problem::toString).containsExactly("Criterion 1 · conditions[0].values: A value has at"
                        + " most 4,096 characters; this one has 4,097.");
        assertThat(validate(UserCriterion.attribute("a".repeat(257), DataType.STRING, Operator.EXISTS)))
                .extracting(Problem::message)
                .containsExactly("An attribute name has at most 256 characters; this one has 257.");
    }
}
