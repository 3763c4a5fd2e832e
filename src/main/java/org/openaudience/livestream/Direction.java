package org.openaudience.livestream;

/** Inbound: events received by the Events API. Outbound: messages sent to outputs. */
public enum Direction {
    INBOUND("Inbound"), OUTBOUND("Outbound");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
