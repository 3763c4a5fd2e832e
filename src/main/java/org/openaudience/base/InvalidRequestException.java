package org.openaudience.base;

import java.util.List;

/**
 * A request a user can get wrong (duplicate name, weak password, …). Services throw it before changing anything;
 * views show {@link #getMessage()} next to {@link #field()}; the REST API lists {@link #details()}.
 */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The form field the message belongs to, e.g. {@code "email"}; {@code null} when it concerns the whole form. */
    public String field() {
        return field;
    }

    /** Each thing wrong, with its field; one unless a subclass knows several (e.g. a definition's problems). */
    public List<Detail> details() {
        return List.of(new Detail(field, null, null, getMessage()));
    }

    /**
     * One thing wrong: the field, and for a field with parts (a definition's criteria) which part of it — e.g.
     * criterion "2.1", part "conditions[0].values".
     */
    public record Detail(String field, String criterion, String part, String message) {
    }
}
