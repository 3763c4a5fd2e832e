/**
 * Attribute indexes made on demand: typed, case-folded virtual columns over the event and profile JSON, with
 * indexes, for the attributes that active audiences filter on, built online in the background and dropped when no
 * audience needs them any more. The criteria compiler reads them through {@link
 * org.openaudience.criteria.AttributeColumns}; audiences say what they need through {@link
 * org.openaudience.indexing.NeededColumns}.
 */
package org.openaudience.indexing;
