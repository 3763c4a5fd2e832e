package org.openaudience.audience;

public enum AudienceStatus {
    DRAFT("Draft"), ACTIVE("Active"), INACTIVE("Inactive");

    private final String label;

    AudienceStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
