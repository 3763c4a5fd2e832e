package org.openaudience.criteria;

import java.util.Map;

/**
 * The one rule by which audiences compare text — attribute values, event names, custom event types, locations,
 * list elements: <b>case-insensitively, and in no other way</b>. Each character is folded to lower case by way of
 * its upper case, one character to one (so {@code Σ σ ς} fold alike, {@code ß} stays {@code ß}); then texts compare
 * character by character, so accents, leading and trailing spaces and every other difference count.
 *
 * <p>{@link #fold} is the rule in Java, {@link #sql} the same rule in MariaDB: UPPER and LOWER under a Unicode 14
 * collation map exactly the characters Java 17's {@link Character} maps (TextRuleTest compares every code point),
 * and the few upper-case letters Unicode 14 added, which Java 17 does not know yet, are mapped here as MariaDB maps
 * them. The folded text is compared under a binary NO PAD collation, never under a column's collation.
 */
public final class TextRule {

    /** Upper-case letters of Unicode 14 unknown to Java 17, with the lower case MariaDB gives them. */
    private static final Map<Integer, Integer> UNICODE_14_LOWER = unicode14();

    private TextRule() {
    }

    /** The folded form of {@code text}: equal folds mean equal texts under the rule. */
    public static String fold(String text) {
        StringBuilder folded = null;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int lower = fold(codePoint);
            if (lower != codePoint && folded == null) {
                folded = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (folded != null) {
                folded.appendCodePoint(lower);
            }
            i += Character.charCount(codePoint);
        }
        return folded == null ? text : folded.toString();
    }

    static int fold(int codePoint) {
        Integer added = UNICODE_14_LOWER.get(codePoint);
        return added != null ? added : Character.toLowerCase(Character.toUpperCase(codePoint));
    }

    /** Whether two texts are equal under the rule. */
    public static boolean equal(String a, String b) {
        return fold(a).equals(fold(b));
    }

    /**
     * The SQL of {@code expression} (utf8mb4 text) folded by the rule, under a collation that compares, searches and
     * LIKE-matches code point by code point and does not pad.
     */
    public static String sql(String expression) {
        return "(LOWER(UPPER(" + expression + " COLLATE utf8mb4_uca1400_as_cs)) COLLATE utf8mb4_nopad_bin)";
    }

    private static Map<Integer, Integer> unicode14() {
        Map<Integer, Integer> lower = new java.util.HashMap<>();
        lower.put(0x2C2F, 0x2C5F);
        for (int c : new int[] {0xA7C0, 0xA7D0, 0xA7D6, 0xA7D8}) {
            lower.put(c, c + 1);
        }
        // Vithkuqi capitals (U+10570–10595, with gaps) and their small letters 0x27 further on
        for (int c = 0x10570; c <= 0x10595; c++) {
            if (c != 0x1057B && c != 0x1058B && c != 0x10593) {
                lower.put(c, c + 0x27);
            }
        }
        return Map.copyOf(lower);
    }
}
