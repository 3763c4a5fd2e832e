package org.openaudience.criteria;

/** The type a condition treats an attribute as (detected from the catalog, or overridden by the user). */
public enum DataType {
    STRING, NUMBER, BOOLEAN, DATE, LIST
}
