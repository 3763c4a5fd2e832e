package org.openaudience.profile;

import java.util.Locale;

/**
 * The one rule for comparing identities, the same in Java and in SQL. Ids ({@code customer_id}, device ids,
 * {@code other_id_*}, …) match exactly: case, accents and leading or trailing spaces count. An {@code email} matches
 * after removing leading and trailing whitespace and lower-casing (locale-neutral), nothing else. Values are stored
 * normalised by {@link #normalize}, and {@code profile_identity} compares them byte for byte
 * ({@code utf8mb4_nopad_bin}), so MariaDB never folds what Java keeps apart.
 */
public final class IdentityRule {

    /** The longest identity value, in characters (Unicode code points), as {@code profile_identity} holds it. */
    public static final int MAX_VALUE_LENGTH = 255;
    /**
     * Device ids: a user may have several devices, so a profile holds every value of these types it was seen with;
     * of every other identity type it holds one.
     */
    public static final java.util.Set<String> DEVICE_ID_TYPES = java.util.Set.of("mp_deviceid", "ios_idfv",
            "ios_advertising_id", "android_uuid", "android_advertising_id", "roku_advertising_id", "roku_publisher_id",
            "fire_advertising_id", "microsoft_advertising_id", "microsoft_publisher_id");

    /** The longest identity type name, as {@code profile_identity} holds it. */
    public static final int MAX_TYPE_LENGTH = 40;

    private IdentityRule() {
    }

    /** The value as stored and compared. */
    public static String normalize(String type, String value) {
        return "email".equals(type) ? value.strip().toLowerCase(Locale.ROOT) : value;
    }

    /** Whether the value says nothing (absent, empty or only whitespace): such an identity is ignored. */
    public static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** The stored length of a value: MariaDB counts characters, not UTF-16 units. */
    public static int length(String value) {
        return value.codePointCount(0, value.length());
    }
}
