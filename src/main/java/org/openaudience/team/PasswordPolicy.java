package org.openaudience.team;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What makes a password acceptable for a team member. */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final String RULE = "At least " + MIN_LENGTH + " characters, with letters and digits or symbols.";

    private static final Set<String> COMMON = Set.of("password123", "password1234", "qwerty12345", "1234567890a",
            "welcome123", "letmein123", "admin12345", "changeme123", "iloveyou123", "abcdefg123");

    private PasswordPolicy() {
    }

    /** @return why the password is too weak, or empty when it is acceptable */
    public static Optional<String> weakness(String password, String email) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of("Use at least " + MIN_LENGTH + " characters.");
        }
        boolean letters = password.chars().anyMatch(Character::isLetter);
        boolean others = password.chars().anyMatch(c -> !Character.isLetter(c) && !Character.isWhitespace(c));
        if (!letters || !others) {
            return Optional.of("Mix letters with digits or symbols.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower)) {
            return Optional.of("This password is too common.");
        }
        if (email != null && !email.isBlank() && lower.contains(email.toLowerCase(Locale.ROOT).split("@")[0])
                && email.split("@")[0].length() >= 4) {
            return Optional.of("Do not use your email address in the password.");
        }
        return Optional.empty();
    }
}
