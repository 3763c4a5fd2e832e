package org.openaudience.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Definitions as scripts send them: every wrong shape is refused naming the criterion and field, nothing else. */
class DefinitionReaderTest {

    static final String PLAY_VIDEO = """
            {"kind":"EVENT","name":"Play Video","conditions":[{"attribute":"destination","type":"STRING",
             "operator":"EXACT_MATCH","values":["Paris"]}]}""";

    static String definition(String... items) {
        return "{\"schemaVersion\":1,\"root\":{\"items\":[" + String.join(",", items) + "]}}";
    }

    static Problem refusal(String json) {
        MalformedDefinitionException refused = catchThrowableOfType(MalformedDefinitionException.class,
                () -> DefinitionJson.read(json));
        assertThat(refused).as("refused: %s", json).isNotNull();
        return refused.problem();
    }

    @Test
    void a_minimal_definition_takes_the_defaults_the_editor_would() {
        Definition read = DefinitionJson.read(definition("{\"event\":" + PLAY_VIDEO + "}",
                "{\"connector\":\"AND\",\"membership\":{\"audience\":7}}"));

        assertThat(read).isEqualTo(new Definition(Group.of(EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "Paris")))
                .then(Connector.AND, new MembershipCriterion(7, true)), Set.of()));
        EventCriterion event = (EventCriterion) read.root().items().get(0).node();
        assertThat(event.frequency()).isEqualTo(Frequency.ANY);
        assertThat(event.window()).isEqualTo(Window.DEFAULT);
    }

    @Test
    void numbers_and_booleans_are_accepted_as_condition_values_and_written_back_as_text() {
        Definition read = DefinitionJson.read(definition("""
                {"user":{"field":"ATTRIBUTE","condition":{"attribute":"age","type":"NUMBER",
                 "operator":"NUMBER_BETWEEN","values":[18, 30.5]}}}"""));

        assertThat(((UserCriterion) read.root().items().get(0).node()).condition().values())
                .containsExactly("18", "30.5");
    }

    @Test
    void an_unknown_operator_is_named_with_its_criterion_and_the_operators_there_are() {
        Problem problem = refusal(definition("{\"event\":" + PLAY_VIDEO + "}", "{\"connector\":\"OR\",\"group\":"
                + "{\"items\":[{\"event\":" + PLAY_VIDEO.replace("EXACT_MATCH", "LIKE") + "}]}}"));

        assertThat(problem.path()).isEqualTo("2.1");
        assertThat(problem.field()).isEqualTo("event.conditions[0].operator");
        assertThat(problem.message()).startsWith("event.conditions[0].operator must be one of EXACT_MATCH, "
                + "DOES_NOT_MATCH").endsWith("; \"LIKE\" is not.");
    }

    @Test
    void missing_fields_and_items_without_a_kind_are_refused_where_they_are() {
        assertThat(refusal(definition("{\"event\":{\"name\":\"Play Video\"}}")).toString())
                .isEqualTo("Criterion 1 · event.kind: event.kind is required.");
        assertThat(refusal(definition("{\"connector\":null}")).message())
                .isEqualTo("The item needs one of group, event, membership or user.");
        assertThat(refusal(definition("{\"event\":" + PLAY_VIDEO + ",\"user\":{}}")).message())
                .isEqualTo("The item has event and user; send one of them per item.");
        assertThat(refusal("{\"schemaVersion\":1}").message()).isEqualTo("root is required.");
        assertThat(refusal("{\"schemaVersion\":1,\"root\":{}}").message()).isEqualTo("root.items is required.");
        assertThat(refusal("{\"root\":{\"items\":[]}}").message())
                .isEqualTo("schemaVersion is required: send 1, the version this server reads.");
    }

    @Test
    void values_of_the_wrong_type_are_refused_and_not_silently_read_as_zero() {
        assertThat(refusal(definition("{\"event\":{\"kind\":\"SESSION\",\"frequency\":{\"comparison\":\"AT_LEAST\","
                + "\"count\":\"5\"}}}")).message()).isEqualTo("event.frequency.count must be a whole number; \"5\" is not.");
        assertThat(refusal(definition("{\"event\":{\"kind\":\"SESSION\",\"window\":{\"type\":\"lastDays\","
                + "\"days\":1.5}}}")).field()).isEqualTo("event.window.days");
        assertThat(refusal(definition("{\"event\":{\"kind\":\"SESSION\",\"window\":{\"type\":\"lastDays\","
                + "\"days\":99999999999}}}")).message()).isEqualTo("event.window.days 99999999999 is out of range.");
        assertThat(refusal(definition("{\"event\":{\"kind\":\"SESSION\",\"window\":{\"type\":\"on\","
                + "\"date\":\"29/11/2026\"}}}")).message())
                .isEqualTo("event.window.date must be a date like \"2026-11-29\"; \"29/11/2026\" is not.");
        assertThat(refusal(definition("{\"event\":{\"kind\":\"SESSION\",\"window\":{\"type\":\"sometime\"}}}"))
                .field()).isEqualTo("event.window.type");
        assertThat(refusal(definition("{\"membership\":{\"audience\":\"seven\"}}")).field())
                .isEqualTo("membership.audience");
        assertThat(refusal(definition("{\"membership\":{\"audience\":7,\"member\":\"yes\"}}")).field())
                .isEqualTo("membership.member");
        assertThat(refusal(definition("{\"user\":{\"field\":\"ATTRIBUTE\",\"condition\":{\"attribute\":\"a\","
                + "\"type\":\"STRING\",\"operator\":\"IS_IN_LIST\",\"values\":[\"x\",{\"y\":1}]}}}")).field())
                .isEqualTo("user.condition.values[1]");
        assertThat(refusal(definition("{\"event\":{\"kind\":\"EVENT\",\"name\":42}}")).message())
                .isEqualTo("event.name must be text; 42 is not.");
        assertThat(refusal(definition("{\"event\":{\"kind\":\"SESSION\",\"frequency\":{\"comparison\":"
                + "\"BETWEEN\",\"count\":2}}}")).message())
                .isEqualTo("event.frequency.max is required for BETWEEN (the larger count).");
    }

    @Test
    void wrong_shapes_and_misspelt_fields_are_refused() {
        assertThat(refusal("[1,2]").message()).isEqualTo("The definition must be a JSON object; [1,2] is not.");
        assertThat(refusal("{\"schemaVersion\":1,\"root\":{\"items\":{}}}").message())
                .isEqualTo("root.items must be a JSON array; {} is not.");
        assertThat(refusal(definition("\"Play Video\"")))
                .extracting(Problem::path, Problem::message)
                .containsExactly("1", "The item must be a JSON object; \"Play Video\" is not.");
        assertThat(refusal(definition("{\"event\":{\"kind\":\"SESSION\",\"frequncy\":{}}}")).message())
                .isEqualTo("event.frequncy is not a field here; use kind, name, customEventType, conditions, "
                        + "frequency, window.");
        assertThat(refusal("{\"schemaVersion\":1,\"inputs\":[0],\"root\":{\"items\":[]}}").message())
                .isEqualTo("inputs[0] must be an id above 0; 0 is not.");
        assertThat(refusal("{\"schemaVersion\":2,\"root\":{\"items\":[]}}").message()).contains("schema version 2");
    }

    @Test
    void a_huge_value_is_not_echoed_back_whole() {
        String huge = "x".repeat(100_000);
        Problem problem = refusal(definition("{\"event\":{\"kind\":\"" + huge + "\"}}"));

        assertThat(problem.message()).hasSizeLessThan(300).contains("xxx…");
    }

    @Test
    void nesting_beyond_the_limit_is_read_for_the_limits_to_report_and_absurd_nesting_is_refused() {
        String four = definition(nested(4, "{\"event\":" + PLAY_VIDEO + "}"));
        assertThat(DefinitionLimits.check(DefinitionJson.read(four))).extracting(Problem::toString)
                .containsExactly("Criterion 1.1.1.1 · group: Groups nest at most 3 levels deep.");

        Problem tooDeep = refusal(definition(nested(DefinitionReader.MAX_NESTING + 5, "{\"event\":" + PLAY_VIDEO
                + "}")));
        assertThat(tooDeep.path()).isEqualTo("1" + ".1".repeat(DefinitionReader.MAX_NESTING));
        assertThat(tooDeep.message()).isEqualTo("group nests too deep: groups nest at most 3 levels deep.");
    }

    @Test
    void json_nested_beyond_what_the_parser_allows_is_refused_as_invalid_json() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        IllegalArgumentException refused = catchThrowableOfType(IllegalArgumentException.class,
                () -> DefinitionJson.read("{\"schemaVersion\":1,\"root\":" + deep + "}"));

        assertThat(refused).hasMessage("An audience definition is not valid JSON");
    }

    @Test
    void every_window_type_reads_back_as_written() {
        List<Window> windows = List.of(new Window.LastDays(7), new Window.LastHours(5), new Window.DaysAgo(7, 14),
                new Window.Before(LocalDate.parse("2026-01-02")), new Window.After(LocalDate.parse("2026-01-03")),
                new Window.On(LocalDate.parse("2026-01-04")),
                new Window.Between(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-01-06")));
        for (Window window : windows) {
            Definition definition = Definition.of(new EventCriterion(EventKind.SESSION, null, null, List.of(),
                    new Frequency(Frequency.Comparison.BETWEEN, 2, 5), window));
            assertThat(DefinitionJson.read(DefinitionJson.write(definition))).isEqualTo(definition);
        }
    }

    /** {@code levels} groups, one inside the other, around the criterion. */
    static String nested(int levels, String criterion) {
        String item = criterion;
        for (int i = 0; i < levels; i++) {
            item = "{\"group\":{\"items\":[" + item + "]}}";
        }
        return item;
    }
}
