package org.openaudience.indexing;

import org.openaudience.criteria.AttributeColumns;

/**
 * An attribute index not ready yet: waiting for its turn, or being built with the percentage MariaDB reports
 * (null while it has not started).
 */
public record IndexBuild(AttributeColumns.Column column, Integer percent) {

    /** "destination (event attribute) 45 %" for the audience page. */
    public String describe() {
        String where = column.source() == AttributeColumns.Source.EVENT ? "event attribute" : "user attribute";
        return column.attribute() + " (" + where + ") " + (percent == null ? "waiting" : percent + " %");
    }
}
