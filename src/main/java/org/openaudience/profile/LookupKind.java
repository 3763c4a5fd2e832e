package org.openaudience.profile;

import java.util.List;

/** What a Users › Lookup search value is. */
public enum LookupKind {
    MPID("MPID", List.of()),
    CUSTOMER_ID("Customer ID", List.of("customer_id")),
    EMAIL("Email", List.of("email")),
    DEVICE_ID("Device ID", List.of("mp_deviceid", "ios_idfv", "ios_advertising_id", "android_uuid",
            "android_advertising_id", "roku_advertising_id", "roku_publisher_id", "fire_advertising_id",
            "microsoft_advertising_id", "microsoft_publisher_id"));

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
