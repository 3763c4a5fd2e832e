package org.openaudience.base;

/**
 * A request a user can get wrong (duplicate name, weak password, …). Services throw it before changing anything;
 * views show {@link #getMessage()} next to {@link #field()}.
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
}
