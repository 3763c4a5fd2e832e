package org.openaudience.base;

/** A signed-in member (or an anonymous caller) asked for something their role or workspaces do not allow. */
public class AccessRefusedException extends RuntimeException {

    public AccessRefusedException(String message) {
        super(message);
    }
}
