package org.openaudience.indexing;

/** Something changed what {@link NeededColumns} answers (an audience calculates a new definition): look again. */
public record IndexNeedsChanged() {
}
