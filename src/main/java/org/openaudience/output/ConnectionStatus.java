package org.openaudience.output;

/** Sending: delivery runs. Paused: stopped by a person. Faulted: stopped after repeated failures, waits for Resume. */
public enum ConnectionStatus {
    SENDING("Sending"), PAUSED("Paused"), FAULTED("Faulted");

    private final String label;

    ConnectionStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
