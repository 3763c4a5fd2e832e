package org.openaudience.base.ui;

import java.util.Locale;

/** How screens write counts: thousands separators ("1,152") and the right plural ("1 change", "2 changes"). */
public final class Counts {

    private Counts() {
    }

    /** The number with thousands separators, e.g. "1,152". */
    public static String number(long count) {
        return String.format(Locale.ENGLISH, "%,d", count);
    }

    /** The number and the noun, singular for exactly one: {@code of(1, "user", "users")} is "1 user". */
    public static String of(long count, String singular, String plural) {
        return number(count) + " " + (count == 1 ? singular : plural);
    }

    /** As {@link #of(long, String, String)} for nouns whose plural adds an "s" ("change", "member"). */
    public static String of(long count, String singular) {
        return of(count, singular, singular + "s");
    }
}
