package org.openaudience.audience;

import java.util.Set;

/**
 * What the Audiences list shows: names containing {@code search} (any case), one status or all ({@code null}), and
 * audiences carrying every one of {@code tags}.
 */
public record AudienceFilter(String search, AudienceStatus status, Set<String> tags) {

    public static final AudienceFilter ALL = new AudienceFilter(null, null, Set.of());

    public AudienceFilter {
        search = search == null ? "" : search.trim();
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }
}
