package org.openaudience.criteria;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * What changed from one definition to the next, item by item, for the definition history. Items of a group are
 * matched by content first (a longest common subsequence, so inserting criterion 1 does not "change" every criterion
 * after it), then the unmatched ones between the same matched neighbours: groups with groups (compared inside),
 * criteria about the same thing (event name, user field, audience) with each other, then criteria at the same
 * position. An item removed in one place and added unchanged in another was moved. Paths number items from 1 as the
 * editor does: "2.1" is the first item of the group that is the second item.
 */
public final class DefinitionDiff {

    /** How sentences name the audiences of membership criteria and the inputs of a definition. */
    public record Names(LongFunction<String> audience, LongFunction<String> input) {

        /** Ids only, e.g. "#42", when names are not at hand. */
        public static final Names IDS = new Names(id -> "#" + id, id -> "#" + id);

        public Names {
            Objects.requireNonNull(audience);
            Objects.requireNonNull(input);
        }
    }

    public enum Kind {
        CRITERION_ADDED, CRITERION_REMOVED, CRITERION_CHANGED, CRITERION_MOVED,
        GROUP_ADDED, GROUP_REMOVED, GROUP_MOVED, CONNECTOR_CHANGED, INPUTS_CHANGED
    }

    /** One change; {@link #describe} says it as a sentence, e.g. {@code removed criterion 2: "Purchase · > 0 …"}. */
    public sealed interface Change permits Added, Removed, Changed, Moved, ConnectorChanged, InputsChanged {

        Kind kind();

        /** Where the item is in the newer definition; null when it was removed (or for inputs). */
        default String path() {
            return null;
        }

        /** Where the item was in the older definition; null when it was added (or for inputs). */
        default String previousPath() {
            return null;
        }

        String describe(Names names);
    }

    /** A criterion or a whole group (its items are not listed one by one) new at {@code path}. */
    public record Added(String path, Node node) implements Change {
        public Kind kind() {
            return node instanceof Group ? Kind.GROUP_ADDED : Kind.CRITERION_ADDED;
        }

        public String describe(Names names) {
            return "added " + item(node, path) + ": " + shown(node, names);
        }
    }

    public record Removed(String previousPath, Node node) implements Change {
        public Kind kind() {
            return node instanceof Group ? Kind.GROUP_REMOVED : Kind.CRITERION_REMOVED;
        }

        public String describe(Names names) {
            return "removed " + item(node, previousPath) + ": " + shown(node, names);
        }
    }

    /** A criterion replaced by another at the same place (its path may have shifted with items before it). */
    public record Changed(String previousPath, String path, Node before, Node after) implements Change {
        public Kind kind() {
            return Kind.CRITERION_CHANGED;
        }

        public String describe(Names names) {
            return "changed " + item(after, path) + (previousPath.equals(path) ? "" : " (was " + previousPath + ")")
                    + ": " + shown(before, names) + " → " + shown(after, names);
        }
    }

    /** The same criterion or group elsewhere: another place in its group, or another group. */
    public record Moved(String previousPath, String path, Node node) implements Change {
        public Kind kind() {
            return node instanceof Group ? Kind.GROUP_MOVED : Kind.CRITERION_MOVED;
        }

        public String describe(Names names) {
            return "moved " + item(node, previousPath) + " to " + path + ": " + shown(node, names);
        }
    }

    /** The connector joining the item at {@code path} to the items before it (And, Or, Exclude). */
    public record ConnectorChanged(String previousPath, String path, Node node, Connector before, Connector after)
            implements Change {
        public Kind kind() {
            return Kind.CONNECTOR_CHANGED;
        }

        public String describe(Names names) {
            return "changed the connector before " + item(node, path) + ": " + label(before) + " → " + label(after);
        }
    }

    /** The inputs whose events count; empty means all inputs of the workspace. */
    public record InputsChanged(Set<Long> before, Set<Long> after) implements Change {
        public InputsChanged {
            before = Collections.unmodifiableSet(new TreeSet<>(before));
            after = Collections.unmodifiableSet(new TreeSet<>(after));
        }

        public Kind kind() {
            return Kind.INPUTS_CHANGED;
        }

        public String describe(Names names) {
            return "changed the inputs: " + inputs(before, names) + " → " + inputs(after, names);
        }
    }

    private final List<Change> changes;

    private DefinitionDiff(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** The changes from {@code before} to {@code after}, in the order of the items, the inputs last. */
    public static DefinitionDiff between(Definition before, Definition after) {
        List<Change> changes = new ArrayList<>();
        compare(before.root(), "", after.root(), "", changes);
        List<Change> withMoves = findMoves(changes);
        if (!before.inputIds().equals(after.inputIds())) {
            withMoves.add(new InputsChanged(before.inputIds(), after.inputIds()));
        }
        return new DefinitionDiff(withMoves);
    }

    public List<Change> changes() {
        return changes;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Each change as a sentence, in order. */
    public List<String> sentences(Names names) {
        return changes.stream().map(change -> change.describe(names)).toList();
    }

    /** A whole item as text: a criterion as the editor's card says it in quotes, a group in brackets. */
    public static String shown(Node node, Names names) {
        if (node instanceof Group group) {
            StringBuilder text = new StringBuilder("(");
            for (Group.Item item : group.items()) {
                if (item.connector() != null) {
                    text.append(' ').append(label(item.connector())).append(' ');
                }
                text.append(shown(item.node(), names));
            }
            return text.append(')').toString();
        }
        return "\"" + Describe.criterion(node, names.audience()) + "\"";
    }

    /** The editor's label of a connector. */
    public static String label(Connector connector) {
        return switch (connector) {
            case AND -> "And";
            case OR -> "Or";
            case EXCLUDE -> "Exclude";
        };
    }

    private static String item(Node node, String path) {
        return (node instanceof Group ? "group " : "criterion ") + path;
    }

    private static String inputs(Set<Long> ids, Names names) {
        return ids.isEmpty() ? "all inputs"
                : ids.stream().map(names.input()::apply).collect(Collectors.joining(", "));
    }

    /** Aligns the items of two groups and records what differs, recursing into groups paired at the same place. */
    private static void compare(Group before, String beforePrefix, Group after, String afterPrefix,
                                List<Change> changes) {
        List<Group.Item> old = before.items();
        List<Group.Item> now = after.items();
        int[][] common = commonLengths(old, now);
        int i = 0;
        int j = 0;
        List<Integer> oldGap = new ArrayList<>();
        List<Integer> newGap = new ArrayList<>();
        while (i < old.size() || j < now.size()) {
            if (i < old.size() && j < now.size() && old.get(i).node().equals(now.get(j).node())) {
                gap(old, oldGap, beforePrefix, now, newGap, afterPrefix, changes);
                connector(old.get(i), beforePrefix + (i + 1), now.get(j), afterPrefix + (j + 1), changes);
                i++;
                j++;
            } else if (j >= now.size() || (i < old.size() && common[i + 1][j] >= common[i][j + 1])) {
                oldGap.add(i++);
            } else {
                newGap.add(j++);
            }
        }
        gap(old, oldGap, beforePrefix, now, newGap, afterPrefix, changes);
    }

    /** {@code lengths[i][j]}: the longest common run of equal items of {@code old[i..]} and {@code now[j..]}. */
    private static int[][] commonLengths(List<Group.Item> old, List<Group.Item> now) {
        int[][] lengths = new int[old.size() + 1][now.size() + 1];
        for (int i = old.size() - 1; i >= 0; i--) {
            for (int j = now.size() - 1; j >= 0; j--) {
                lengths[i][j] = old.get(i).node().equals(now.get(j).node()) ? lengths[i + 1][j + 1] + 1
                        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
            }
        }
        return lengths;
    }

    /**
     * Items between two matched ones: removals first, then the new items in order, each paired with an old one when
     * possible (groups with groups, criteria about the same thing, then criteria at the same place).
     */
    private static void gap(List<Group.Item> old, List<Integer> oldGap, String beforePrefix, List<Group.Item> now,
                            List<Integer> newGap, String afterPrefix, List<Change> changes) {
        if (oldGap.isEmpty() && newGap.isEmpty()) {
            return;
        }
        Integer[] partner = new Integer[newGap.size()];
        List<Integer> unpaired = new ArrayList<>(oldGap);
        pair(unpaired, newGap, partner, (i, j) -> old.get(i).node() instanceof Group
                && now.get(j).node() instanceof Group);
        pair(unpaired, newGap, partner, (i, j) -> criteria(old.get(i), now.get(j))
                && subject(old.get(i).node()).equals(subject(now.get(j).node())));
        pair(unpaired, newGap, partner, (i, j) -> criteria(old.get(i), now.get(j)) && i.equals(j));
        for (int i : unpaired) {
            changes.add(new Removed(beforePrefix + (i + 1), old.get(i).node()));
        }
        for (int k = 0; k < newGap.size(); k++) {
            int j = newGap.get(k);
            Group.Item item = now.get(j);
            String path = afterPrefix + (j + 1);
            if (partner[k] == null) {
                changes.add(new Added(path, item.node()));
                continue;
            }
            Group.Item was = old.get(partner[k]);
            String previousPath = beforePrefix + (partner[k] + 1);
            connector(was, previousPath, item, path, changes);
            if (item.node() instanceof Group inner) {
                compare((Group) was.node(), previousPath + ".", inner, path + ".", changes);
            } else {
                changes.add(new Changed(previousPath, path, was.node(), item.node()));
            }
        }
        oldGap.clear();
        newGap.clear();
    }

    /** Pairs each new item of the gap still alone with the first old one still alone that fits it. */
    private static void pair(List<Integer> unpaired, List<Integer> newGap, Integer[] partner,
                             java.util.function.BiPredicate<Integer, Integer> fits) {
        for (int k = 0; k < newGap.size(); k++) {
            if (partner[k] != null) {
                continue;
            }
            for (int u = 0; u < unpaired.size(); u++) {
                if (fits.test(unpaired.get(u), newGap.get(k))) {
                    partner[k] = unpaired.remove(u);
                    break;
                }
            }
        }
    }

    private static boolean criteria(Group.Item a, Group.Item b) {
        return !(a.node() instanceof Group) && !(b.node() instanceof Group);
    }

    /** What a criterion is about, so an edited criterion pairs with its earlier self rather than a neighbour. */
    private static String subject(Node node) {
        if (node instanceof EventCriterion event) {
            return "event " + event.kind() + " " + event.eventKey();
        }
        if (node instanceof UserCriterion user) {
            return "user " + user.field() + " " + user.condition().attribute();
        }
        return "membership " + ((MembershipCriterion) node).audienceId();
    }

    /** A connector that differs on both sides; the first item of a group has none, so gaining one is no change. */
    private static void connector(Group.Item was, String previousPath, Group.Item item, String path,
                                  List<Change> changes) {
        if (was.connector() != null && item.connector() != null && was.connector() != item.connector()) {
            changes.add(new ConnectorChanged(previousPath, path, item.node(), was.connector(), item.connector()));
        }
    }

    /** A removal and an addition of the same item are one move, shown where the removal was. */
    private static List<Change> findMoves(List<Change> changes) {
        List<Change> result = new ArrayList<>(changes);
        for (int r = 0; r < result.size(); r++) {
            if (result.get(r) instanceof Removed removed) {
                for (int a = 0; a < result.size(); a++) {
                    if (result.get(a) instanceof Added added && added.node().equals(removed.node())) {
                        result.set(r, new Moved(removed.previousPath(), added.path(), removed.node()));
                        result.remove(a);
                        if (a < r) {
                            r--;
                        }
                        break;
                    }
                }
            }
        }
        return result;
    }
}
