package org.openaudience.audience;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.Verdict;

/**
 * Picks the criterion that decides why an edit moves a user in or out, from the evaluator's verdicts of one
 * definition. A criterion keeps a user out when it fails, or when it matches under Exclude (an odd number of
 * Excludes on its path: a criterion in an excluded group counts the other way round). Preferred, in this order: a
 * criterion whose verdict alone turned round would turn the user's round; one the other definition does not have
 * (added or edited); the first in tree order.
 */
final class DecidingCriteria {

    private final Group root;
    private final Set<Node> otherCriteria = new HashSet<>();
    /** Path → whether the criterion there sits under an odd number of Excludes. */
    private final Map<String, Boolean> excluded = new HashMap<>();

    /**
     * @param definition the definition whose verdicts are read
     * @param other      the definition it is compared with (saved against edited)
     */
    DecidingCriteria(Definition definition, Definition other) {
        this.root = definition.root();
        collect(definition.root(), "", false, excluded, null);
        collect(other.root(), "", false, new HashMap<>(), otherCriteria);
    }

    /** The criterion that keeps the user out under this definition; empty when they are in. */
    Optional<EditPreview.Decision> keepingOut(Verdict verdict, boolean edited) {
        return verdict.matches() ? Optional.empty() : pick(verdict, edited, EditPreview.Decision::keepsOut);
    }

    /** The criterion that lets the user in under this definition; empty when they are out. */
    Optional<EditPreview.Decision> lettingIn(Verdict verdict, boolean edited) {
        return verdict.matches() ? pick(verdict, edited, decision -> !decision.keepsOut()) : Optional.empty();
    }

    private Optional<EditPreview.Decision> pick(Verdict verdict, boolean edited,
                                                Predicate<EditPreview.Decision> wanted) {
        Map<String, Boolean> values = new HashMap<>();
        verdict.criteria().forEach(criterion -> values.put(criterion.path(), criterion.matches()));
        boolean outcome = evaluate(root, "", values);
        List<EditPreview.Decision> candidates = verdict.criteria().stream()
                .map(criterion -> new EditPreview.Decision(edited, excluded.getOrDefault(criterion.path(), false),
                        criterion))
                .filter(wanted).toList();
        // alone decisive (the other verdict if only it were different) first, then added or edited, then in order
        Comparator<EditPreview.Decision> order = Comparator
                .comparing((EditPreview.Decision decision) -> !flips(decision.verdict(), values, outcome))
                .thenComparing(decision -> otherCriteria.contains(decision.verdict().criterion()));
        return candidates.stream().sorted(order).findFirst();
    }

    /** Whether this criterion's verdict alone, turned round, would turn the whole definition's verdict round. */
    private boolean flips(Verdict.CriterionVerdict criterion, Map<String, Boolean> values, boolean outcome) {
        Map<String, Boolean> flipped = new HashMap<>(values);
        flipped.put(criterion.path(), !criterion.matches());
        return evaluate(root, "", flipped) != outcome;
    }

    /** The group's verdict from its criteria's verdicts by path, as the evaluator combines them. */
    private static boolean evaluate(Group group, String prefix, Map<String, Boolean> values) {
        boolean result = false;
        for (int i = 0; i < group.items().size(); i++) {
            Group.Item item = group.items().get(i);
            String path = prefix + (i + 1);
            boolean value = item.node() instanceof Group inner ? evaluate(inner, path + ".", values)
                    : values.getOrDefault(path, false);
            result = i == 0 ? value : switch (item.connector()) {
                case AND -> result && value;
                case OR -> result || value;
                case EXCLUDE -> result && !value;
            };
        }
        return result;
    }

    /** Records each criterion's Exclude parity by path (as the evaluator numbers them) and, if asked, the criteria. */
    private static void collect(Group group, String prefix, boolean negated, Map<String, Boolean> excluded,
                                Set<Node> criteria) {
        for (int i = 0; i < group.items().size(); i++) {
            Group.Item item = group.items().get(i);
            String path = prefix + (i + 1);
            boolean here = negated ^ (i > 0 && item.connector() == Connector.EXCLUDE);
            if (item.node() instanceof Group inner) {
                collect(inner, path + ".", here, excluded, criteria);
            } else {
                excluded.put(path, here);
                if (criteria != null) {
                    criteria.add(item.node());
                }
            }
        }
    }
}
