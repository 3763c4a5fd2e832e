package org.openaudience.criteria;

/** How an item of a group combines with what came before it, left to right. */
public enum Connector {
    /** Both hold. */
    AND,
    /** Either holds. */
    OR,
    /** What came before holds and this does not. */
    EXCLUDE
}
