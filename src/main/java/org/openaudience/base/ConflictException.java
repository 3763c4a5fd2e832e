package org.openaudience.base;

import java.util.Map;

/**
 * The request was made against a state that has changed since (someone else saved first). Nothing was changed;
 * {@link #current()} says what the state is now, e.g. the current version, so the caller can read it and retry.
 */
public class ConflictException extends RuntimeException {

    private final Map<String, Object> current;

    public ConflictException(String message, Map<String, Object> current) {
        super(message);
        this.current = Map.copyOf(current);
    }

    public Map<String, Object> current() {
        return current;
    }
}
