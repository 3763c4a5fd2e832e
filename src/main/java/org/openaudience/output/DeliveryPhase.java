package org.openaudience.output;

/** A new connection first sends the current members as adds (snapshot), then the changes as they happen. */
public enum DeliveryPhase {
    SNAPSHOT, CHANGES
}
