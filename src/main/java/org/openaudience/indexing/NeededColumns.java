package org.openaudience.indexing;

import java.util.Set;
import org.openaudience.criteria.AttributeColumns;

/** The attribute columns that what is active now would use (implemented by the feature that knows: audiences). */
public interface NeededColumns {

    Set<AttributeColumns.Column> neededNow();
}
