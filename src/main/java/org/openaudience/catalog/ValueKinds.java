package org.openaudience.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Which types one observed value parses as; a value may count for several (an epoch-ms is a number and a date). */
record ValueKinds(boolean number, boolean bool, boolean date, boolean list) {

    /** Epoch milliseconds between 2000-01-01 and 2100-01-01 read as dates. */
    private static final long EPOCH_MS_FROM = 946_684_800_000L;
    private static final long EPOCH_MS_TO = 4_102_444_800_000L;

    static ValueKinds of(JsonNode value) {
        if (value.isArray()) {
            return new ValueKinds(false, false, false, true);
        }
        if (value.isBoolean()) {
            return new ValueKinds(false, true, false, false);
        }
        if (value.isNumber()) {
            return new ValueKinds(true, false, isEpochMillis(value.asDouble()), false);
        }
        String text = value.asText().trim();
        String lower = text.toLowerCase(Locale.ROOT);
        boolean bool = lower.equals("true") || lower.equals("false");
        Double number = parseNumber(text);
        boolean date = number != null ? isEpochMillis(number) : isIsoDate(text);
        return new ValueKinds(number != null, bool, date, false);
    }

    private static Double parseNumber(String text) {
        // most strings are plainly not numbers: skip the costly failed parse for them
        if (text.isEmpty() || !looksNumeric(text)) {
            return null;
        }
        try {
            double parsed = Double.parseDouble(text);
            return Double.isFinite(parsed) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean looksNumeric(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEpochMillis(double value) {
        return value >= EPOCH_MS_FROM && value < EPOCH_MS_TO && value == Math.rint(value);
    }

    static boolean isIsoDate(String text) {
        if (text.length() < 10 || !Character.isDigit(text.charAt(0))) {
            return false;
        }
        try {
            if (text.length() == 10) {
                LocalDate.parse(text);
            } else if (text.endsWith("Z")) {
                Instant.parse(text);
            } else {
                OffsetDateTime.parse(text);
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
