package org.openaudience.criteria;

/** What a Users criterion looks at on the profile. */
public enum UserField {
    /** A user attribute; the condition names it. */
    ATTRIBUTE,
    /** A user identity (customer_id, email, device ids …); the condition names the identity type. */
    IDENTITY,
    /** A device info field (os_version, device_model …); the condition names it. */
    DEVICE,
    /** The platforms the user was seen on, as a list (e.g. Includes "iOS"). */
    PLATFORM,
    COUNTRY,
    REGION,
    CITY,
    FIRST_SEEN,
    LAST_SEEN
}
