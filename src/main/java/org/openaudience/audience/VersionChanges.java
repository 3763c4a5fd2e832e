package org.openaudience.audience;

import java.util.List;
import org.openaudience.criteria.DefinitionDiff;

/**
 * One saved definition version and what it changed against the version before it.
 *
 * @param previous the version before it, null for the first
 * @param diff     the changes from {@code previous}; null for the first version
 * @param names    the audience and input names the changes' sentences use (of the audience's workspace)
 */
public record VersionChanges(DefinitionVersion version, DefinitionVersion previous, DefinitionDiff diff,
                             DefinitionDiff.Names names) {

    /** The changes as sentences, e.g. {@code added criterion 3: "Purchase · > 0 in the last 30 days"}. */
    public List<String> sentences() {
        return diff == null ? List.of() : diff.sentences(names);
    }
}
