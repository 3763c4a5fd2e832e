package org.openaudience.catalog;

import java.time.Instant;
import java.util.List;

/** An event or user attribute with its detected data type and a few example values. */
public record CatalogAttribute(String name, DataType dataType, long observations, List<String> examples,
                               Instant firstSeen, Instant lastSeen) {
}
