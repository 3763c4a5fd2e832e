package org.openaudience.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Typed, located access to JSON fields for {@link DefinitionReader}: each check either answers the value or throws a
 * {@link MalformedDefinitionException} saying where (criterion and field) and what is wrong, quoting the value short.
 */
final class StrictJson {

    /** Where in the definition: the criterion path ("2.1"; empty above the criteria) and the field in it. */
    record Place(String criterion, String part) {

        Place at(String field) {
            return new Place(criterion, part.isEmpty() ? field : part + "." + field);
        }

        Place index(int i) {
            return new Place(criterion, part + "[" + i + "]");
        }
    }

    private StrictJson() {
    }

    static int integer(JsonNode node, Place place, String field) {
        return (int) whole(required(node, place, field), place.at(field), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    static LocalDate date(JsonNode node, Place place, String field) {
        JsonNode value = required(node, place, field);
        try {
            if (value.isTextual()) {
                return LocalDate.parse(value.asText());
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw fail(place.at(field), "must be a date like \"2026-11-29\"; " + shown(value) + " is not.");
    }

    static JsonNode required(JsonNode node, Place place, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw fail(place.at(field), "is required.");
        }
        return value;
    }

    static <E extends Enum<E>> E requiredEnum(JsonNode node, Place place, String field, Class<E> type) {
        return optionalEnum(required(node, place, field), place.at(field), type);
    }

    static <E extends Enum<E>> E optionalEnum(JsonNode value, Place place, Class<E> type) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(value.asText())) {
                    return constant;
                }
            }
        }
        throw fail(place, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .collect(Collectors.joining(", ")) + "; " + shown(value) + " is not.");
    }

    static String optionalText(JsonNode value, Place place) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw fail(place, "must be text; " + shown(value) + " is not.");
        }
        return value.asText();
    }

    static long whole(JsonNode value, Place place, long min, long max) {
        if (!value.isIntegralNumber()) {
            throw fail(place, "must be a whole number; " + shown(value) + " is not.");
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw fail(place, min == 1 ? "must be an id above 0; " + shown(value) + " is not."
                    : shown(value) + " is out of range.");
        }
        return value.longValue();
    }

    static void object(JsonNode node, Place place) {
        if (!node.isObject()) {
            throw fail(place, "must be a JSON object; " + shown(node) + " is not.");
        }
    }

    static void array(JsonNode node, Place place) {
        if (!node.isArray()) {
            throw fail(place, "must be a JSON array; " + shown(node) + " is not.");
        }
    }

    /** Unknown fields are refused: a misspelt "frequncy" would otherwise silently mean the default. */
    static void only(JsonNode node, Place place, String... fields) {
        Set<String> known = Set.of(fields);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw fail(place.at(shortened(name)), "is not a field here; use " + String.join(", ", fields) + ".");
            }
        }
    }

    static List<String> present(JsonNode node, String... fields) {
        return Arrays.stream(fields).filter(field -> node.has(field) && !node.get(field).isNull()).toList();
    }

    /** A value as the message quotes it: short, so a huge value is not echoed back whole. */
    static String shown(JsonNode value) {
        return shortened(value.toString());
    }

    static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "…";
    }

    static MalformedDefinitionException fail(Place place, String what) {
        String subject = place.part().isEmpty() ? (place.criterion().isEmpty() ? "The definition" : "The item")
                : place.part();
        return new MalformedDefinitionException(new Problem(place.criterion(), place.part(), subject + " " + what));
    }
}
