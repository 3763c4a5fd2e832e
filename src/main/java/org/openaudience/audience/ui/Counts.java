package org.openaudience.audience.ui;

import java.text.NumberFormat;
import java.util.Locale;

/** Counts for people: thousands separators and the right plural ("1 change", "1,234 changes"). */
final class Counts {

    private static final NumberFormat NUMBER = NumberFormat.getIntegerInstance(Locale.US);

    private Counts() {
    }

    /** e.g. "1,234". */
    static String number(long n) {
        return NUMBER.format(n);
    }

    /** e.g. "1 add", "2 adds", "1,234 drops". */
    static String of(long n, String singular, String plural) {
        return number(n) + " " + (n == 1 ? singular : plural);
    }
}
