package org.openaudience.profile;

import java.util.List;

/** What a Users › Lookup search value is. */
public enum LookupKind {
    MPID("MPID", List.of()),
    CUSTOMER_ID("Customer ID", List.of("customer_id")),
    EMAIL("Email", List.of("email")),
    DEVICE_ID("Device ID", List.copyOf(IdentityRule.DEVICE_ID_TYPES));

    private final String label;
    private final List<String> identityTypes;

    LookupKind(String label, List<String> identityTypes) {
        this.label = label;
        this.identityTypes = identityTypes;
    }

    public String label() {
        return label;
    }

    List<String> identityTypes() {
        return identityTypes;
    }
}
