package org.openaudience.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.DefinitionDiff.Added;
import org.openaudience.criteria.DefinitionDiff.Change;
import org.openaudience.criteria.DefinitionDiff.Changed;
import org.openaudience.criteria.DefinitionDiff.ConnectorChanged;
import org.openaudience.criteria.DefinitionDiff.InputsChanged;
import org.openaudience.criteria.DefinitionDiff.Kind;
import org.openaudience.criteria.DefinitionDiff.Moved;
import org.openaudience.criteria.DefinitionDiff.Names;
import org.openaudience.criteria.DefinitionDiff.Removed;

class DefinitionDiffTest {

    static final Names NAMES = new Names(id -> Map.of(7L, "Premium users").getOrDefault(id, "#" + id),
            id -> Map.of(3L, "Web", 4L, "iOS").getOrDefault(id, "#" + id));

    static EventCriterion played(long times) {
        return new EventCriterion(EventKind.EVENT, "Play Video", null, List.of(),
                Frequency.of(Frequency.Comparison.AT_LEAST, times), new Window.LastDays(30));
    }

    static final EventCriterion PURCHASE = EventCriterion.event("Purchase");
    static final EventCriterion SEARCH = EventCriterion.event("Search");
    static final UserCriterion PREMIUM = UserCriterion.attribute("plan", DataType.STRING, Operator.EXACT_MATCH,
            "premium");

    /** A definition of the root's items, each after the first joined with And. */
    static Definition definition(Node... nodes) {
        return new Definition(group(nodes), Set.of());
    }

    static Group group(Node... nodes) {
        Group group = Group.of(nodes[0]);
        for (int i = 1; i < nodes.length; i++) {
            group = group.then(Connector.AND, nodes[i]);
        }
        return group;
    }

    static List<String> sentences(Definition before, Definition after) {
        return DefinitionDiff.between(before, after).sentences(NAMES);
    }

    @Test
    void the_same_definition_has_no_changes() {
        Definition definition = definition(played(1), PREMIUM);

        DefinitionDiff diff = DefinitionDiff.between(definition, definition(played(1), PREMIUM));

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.sentences(NAMES)).isEmpty();
    }

    @Test
    void an_edited_criterion_is_one_change_with_both_descriptions() {
        DefinitionDiff diff = DefinitionDiff.between(definition(PREMIUM, played(1)), definition(PREMIUM, played(5)));

        assertThat(diff.changes()).containsExactly(new Changed("2", "2", played(1), played(5)));
        assertThat(diff.changes().get(0).kind()).isEqualTo(Kind.CRITERION_CHANGED);
        assertThat(diff.sentences(NAMES)).containsExactly("changed criterion 2: "
                + "\"Play Video · at least 1 in the last 30 days\" → \"Play Video · at least 5 in the last 30 days\"");
    }

    @Test
    void a_criterion_inserted_first_does_not_change_the_ones_after_it() {
        assertThat(sentences(definition(played(1), PREMIUM), definition(PURCHASE, played(1), PREMIUM)))
                .containsExactly("added criterion 1: \"Purchase · > 0 in the last 30 days\"");
    }

    @Test
    void a_criterion_removed_from_the_middle_is_named_by_its_old_place() {
        DefinitionDiff diff = DefinitionDiff.between(definition(played(1), PURCHASE, PREMIUM),
                definition(played(1), PREMIUM));

        assertThat(diff.changes()).containsExactly(new Removed("2", PURCHASE));
        assertThat(diff.changes().get(0).previousPath()).isEqualTo("2");
        assertThat(diff.changes().get(0).path()).isNull();
        assertThat(diff.sentences(NAMES))
                .containsExactly("removed criterion 2: \"Purchase · > 0 in the last 30 days\"");
    }

    @Test
    void removing_the_first_criterion_does_not_report_the_next_ones_lost_connector() {
        Definition before = new Definition(Group.of(PURCHASE).then(Connector.OR, PREMIUM), Set.of());

        assertThat(DefinitionDiff.between(before, definition(PREMIUM)).changes())
                .containsExactly(new Removed("1", PURCHASE));
    }

    @Test
    void a_connector_change_is_said_with_the_editors_labels() {
        Definition before = new Definition(Group.of(PREMIUM).then(Connector.AND, PURCHASE), Set.of());
        Definition after = new Definition(Group.of(PREMIUM).then(Connector.EXCLUDE, PURCHASE), Set.of());

        DefinitionDiff diff = DefinitionDiff.between(before, after);

        assertThat(diff.changes()).containsExactly(new ConnectorChanged("2", "2", PURCHASE, Connector.AND,
                Connector.EXCLUDE));
        assertThat(diff.sentences(NAMES)).containsExactly("changed the connector before criterion 2: And → Exclude");
    }

    @Test
    void an_edit_and_a_connector_change_of_the_same_criterion_are_both_reported() {
        Definition before = new Definition(Group.of(PREMIUM).then(Connector.AND, played(1)), Set.of());
        Definition after = new Definition(Group.of(PREMIUM).then(Connector.OR, played(2)), Set.of());

        assertThat(DefinitionDiff.between(before, after).changes()).extracting(Change::kind)
                .containsExactly(Kind.CONNECTOR_CHANGED, Kind.CRITERION_CHANGED);
    }

    @Test
    void swapped_criteria_are_a_move_not_a_removal_and_an_addition() {
        DefinitionDiff diff = DefinitionDiff.between(definition(PURCHASE, SEARCH, PREMIUM),
                definition(SEARCH, PURCHASE, PREMIUM));

        assertThat(diff.changes()).hasSize(1).first().isInstanceOf(Moved.class);
        assertThat(diff.changes().get(0).kind()).isEqualTo(Kind.CRITERION_MOVED);
        assertThat(diff.sentences(NAMES).get(0)).matches("moved criterion [12] to [12]: \"(Purchase|Search) · .*\"");
    }

    @Test
    void an_edited_criterion_pairs_with_its_earlier_self_even_when_another_is_inserted_before_it() {
        List<String> sentences = sentences(definition(PREMIUM, played(1)), definition(PREMIUM, PURCHASE, played(5)));

        assertThat(sentences).containsExactly(
                "added criterion 2: \"Purchase · > 0 in the last 30 days\"",
                "changed criterion 3 (was 2): \"Play Video · at least 1 in the last 30 days\" → "
                        + "\"Play Video · at least 5 in the last 30 days\"");
    }

    @Test
    void a_criterion_replaced_by_another_at_the_same_place_is_a_change_of_that_place() {
        assertThat(DefinitionDiff.between(definition(PREMIUM, PURCHASE), definition(PREMIUM, SEARCH)).changes())
                .containsExactly(new Changed("2", "2", PURCHASE, SEARCH));
    }

    @Test
    void changes_inside_a_group_are_located_by_their_path_in_the_group() {
        Definition before = definition(PREMIUM, group(PURCHASE, played(1)));
        Definition after = definition(PREMIUM, group(PURCHASE, played(3), SEARCH));

        assertThat(sentences(before, after)).containsExactly(
                "changed criterion 2.2: \"Play Video · at least 1 in the last 30 days\" → "
                        + "\"Play Video · at least 3 in the last 30 days\"",
                "added criterion 2.3: \"Search · > 0 in the last 30 days\"");
    }

    @Test
    void a_group_added_or_removed_is_one_change_showing_its_items_in_brackets() {
        Definition without = definition(PREMIUM);
        Definition with = new Definition(Group.of(PREMIUM).then(Connector.AND,
                Group.of(PURCHASE).then(Connector.OR, SEARCH)), Set.of());

        DefinitionDiff added = DefinitionDiff.between(without, with);
        DefinitionDiff removed = DefinitionDiff.between(with, without);

        assertThat(added.changes()).extracting(Change::kind).containsExactly(Kind.GROUP_ADDED);
        assertThat(added.sentences(NAMES)).containsExactly("added group 2: (\"Purchase · > 0 in the last 30 days\""
                + " Or \"Search · > 0 in the last 30 days\")");
        assertThat(removed.changes()).extracting(Change::kind).containsExactly(Kind.GROUP_REMOVED);
        assertThat(removed.sentences(NAMES).get(0)).startsWith("removed group 2: (\"Purchase");
    }

    @Test
    void a_criterion_turned_into_a_group_is_a_removal_and_an_addition() {
        DefinitionDiff diff = DefinitionDiff.between(definition(PREMIUM, PURCHASE),
                definition(PREMIUM, group(PURCHASE, SEARCH)));

        assertThat(diff.changes()).extracting(Change::kind).containsExactly(Kind.CRITERION_REMOVED,
                Kind.GROUP_ADDED);
    }

    @Test
    void a_criterion_moved_into_a_group_is_a_move_between_paths() {
        DefinitionDiff diff = DefinitionDiff.between(definition(PREMIUM, SEARCH, group(PURCHASE, played(1))),
                definition(PREMIUM, group(PURCHASE, played(1), SEARCH)));

        assertThat(diff.changes()).contains(new Moved("2", "2.3", SEARCH));
        assertThat(diff.sentences(NAMES)).contains("moved criterion 2 to 2.3: \"Search · > 0 in the last 30 days\"");
    }

    @Test
    void a_group_swapped_with_a_criterion_is_a_group_move() {
        Group inner = group(PURCHASE, SEARCH);

        DefinitionDiff diff = DefinitionDiff.between(definition(inner, PREMIUM), definition(PREMIUM, inner));

        assertThat(diff.changes()).extracting(Change::kind).containsExactly(Kind.GROUP_MOVED);
    }

    @Test
    void inputs_changes_name_the_inputs_and_say_all_inputs_for_none() {
        Definition all = definition(PREMIUM);
        Definition some = new Definition(group(PREMIUM), Set.of(4L, 3L));

        DefinitionDiff diff = DefinitionDiff.between(all, some);

        assertThat(diff.changes()).containsExactly(new InputsChanged(Set.of(), Set.of(3L, 4L)));
        assertThat(diff.sentences(NAMES)).containsExactly("changed the inputs: all inputs → Web, iOS");
        assertThat(DefinitionDiff.between(some, all).sentences(Names.IDS))
                .containsExactly("changed the inputs: #3, #4 → all inputs");
    }

    @Test
    void membership_criteria_are_described_with_the_audience_names_given() {
        assertThat(sentences(definition(PREMIUM, new MembershipCriterion(7, true)),
                definition(PREMIUM, new MembershipCriterion(7, false))))
                .containsExactly("changed criterion 2: \"In audience Premium users\" → "
                        + "\"Not in audience Premium users\"");
        assertThat(DefinitionDiff.between(definition(PREMIUM), definition(PREMIUM, new MembershipCriterion(9, true)))
                .sentences(Names.IDS)).containsExactly("added criterion 2: \"In audience #9\"");
    }

    @Test
    void several_changes_come_in_the_order_of_the_items_and_the_inputs_last() {
        Definition before = new Definition(group(PREMIUM, PURCHASE, played(1)), Set.of());
        Definition after = new Definition(Group.of(PREMIUM).then(Connector.OR, played(2)).then(Connector.AND, SEARCH),
                Set.of(3L));

        assertThat(DefinitionDiff.between(before, after).changes()).extracting(Change::kind).containsExactly(
                Kind.CRITERION_REMOVED, Kind.CONNECTOR_CHANGED, Kind.CRITERION_CHANGED, Kind.CRITERION_ADDED,
                Kind.INPUTS_CHANGED);
    }

    @Test
    void random_definitions_differ_exactly_when_the_diff_says_so_and_every_path_points_at_its_item() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        RandomDefinitions definitions = new RandomDefinitions(random, Instant.now(), List.of(3L, 4L),
                List.of(7L, 8L));
        for (int i = 0; i < 2_000; i++) {
            Definition before = definitions.next();
            Definition after = random.nextBoolean() ? definitions.next() : mutated(before, random, definitions);
            DefinitionDiff diff = DefinitionDiff.between(before, after);

            assertThat(diff.isEmpty()).as("seed %d: %s → %s", seed, before, after).isEqualTo(before.equals(after));
            assertThat(DefinitionDiff.between(after, after).isEmpty()).isTrue();
            for (Change change : diff.changes()) {
                assertThat(change.describe(NAMES)).isNotBlank();
                assertPointsAtItems(change, before, after, "seed " + seed);
            }
        }
    }

    @Test
    void one_edited_criterion_in_a_random_definition_is_exactly_one_change_at_its_place() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        RandomDefinitions definitions = new RandomDefinitions(random, Instant.now(), List.of(3L), List.of(7L));
        for (int i = 0; i < 1_000; i++) {
            Definition before = definitions.next();
            List<String> paths = criterionPaths(before.root(), "");
            String path = paths.get(random.nextInt(paths.size()));
            Node edited = new EventCriterion(EventKind.EVENT, "Edited " + i, null, List.of(), null, null);
            Definition after = new Definition(replaced(before.root(), path, edited), before.inputIds());

            assertThat(DefinitionDiff.between(before, after).changes()).as("seed %d, path %s", seed, path)
                    .containsExactly(new Changed(path, path, at(before.root(), path), edited));
        }
    }

    private static Definition mutated(Definition before, Random random, RandomDefinitions definitions) {
        List<String> paths = criterionPaths(before.root(), "");
        String path = paths.get(random.nextInt(paths.size()));
        Node replacement = definitions.next().root().items().get(0).node();
        return new Definition(replaced(before.root(), path, replacement),
                random.nextInt(5) == 0 ? Set.of(3L) : before.inputIds());
    }

    private static void assertPointsAtItems(Change change, Definition before, Definition after, String seed) {
        if (change instanceof Added added) {
            assertThat(at(after.root(), added.path())).as(seed).isEqualTo(added.node());
        } else if (change instanceof Removed removed) {
            assertThat(at(before.root(), removed.previousPath())).as(seed).isEqualTo(removed.node());
        } else if (change instanceof Changed changed) {
            assertThat(at(before.root(), changed.previousPath())).as(seed).isEqualTo(changed.before());
            assertThat(at(after.root(), changed.path())).as(seed).isEqualTo(changed.after());
            assertThat(changed.before()).as(seed).isNotEqualTo(changed.after());
        } else if (change instanceof Moved moved) {
            assertThat(at(before.root(), moved.previousPath())).as(seed).isEqualTo(moved.node());
            assertThat(at(after.root(), moved.path())).as(seed).isEqualTo(moved.node());
        } else if (change instanceof ConnectorChanged connector) {
            assertThat(item(before.root(), connector.previousPath()).connector()).as(seed)
                    .isEqualTo(connector.before());
            assertThat(item(after.root(), connector.path()).connector()).as(seed).isEqualTo(connector.after());
        } else {
            InputsChanged inputs = (InputsChanged) change;
            assertThat(inputs.before()).isEqualTo(before.inputIds());
            assertThat(inputs.after()).isEqualTo(after.inputIds());
        }
    }

    private static Group.Item item(Group root, String path) {
        String[] steps = path.split("\\.");
        Group group = root;
        Group.Item item = null;
        for (String step : steps) {
            item = group.items().get(Integer.parseInt(step) - 1);
            group = item.node() instanceof Group inner ? inner : null;
        }
        return item;
    }

    private static Node at(Group root, String path) {
        return item(root, path).node();
    }

    private static List<String> criterionPaths(Group group, String prefix) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < group.items().size(); i++) {
            Node node = group.items().get(i).node();
            if (node instanceof Group inner) {
                paths.addAll(criterionPaths(inner, prefix + (i + 1) + "."));
            } else {
                paths.add(prefix + (i + 1));
            }
        }
        return paths;
    }

    private static Group replaced(Group group, String path, Node replacement) {
        int dot = path.indexOf('.');
        int index = Integer.parseInt(dot < 0 ? path : path.substring(0, dot)) - 1;
        List<Group.Item> items = new ArrayList<>(group.items());
        Group.Item old = items.get(index);
        items.set(index, new Group.Item(old.connector(), dot < 0 ? replacement
                : replaced((Group) old.node(), path.substring(dot + 1), replacement)));
        return new Group(items);
    }
}
