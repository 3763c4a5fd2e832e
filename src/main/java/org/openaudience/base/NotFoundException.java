package org.openaudience.base;

/** The thing a user asked for does not exist (any more), e.g. it was deleted in another tab. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
