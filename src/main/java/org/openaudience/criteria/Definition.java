package org.openaudience.criteria;

import java.util.Set;

/**
 * An audience definition: the criteria tree and the inputs whose events count (empty: all inputs of the
 * workspace). Users criteria are not limited by inputs.
 */
public record Definition(Group root, Set<Long> inputIds) {

    public Definition {
        inputIds = inputIds == null ? Set.of() : Set.copyOf(inputIds);
    }

    public static Definition of(Node node) {
        return new Definition(node instanceof Group group ? group : Group.of(node), Set.of());
    }
}
