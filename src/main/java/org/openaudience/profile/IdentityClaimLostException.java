package org.openaudience.profile;

/**
 * A concurrent request claimed an identity first that decides which profile this request's batch belongs to. The
 * ingesting transaction rolls back and is retried; the retry resolves to the winner's profile.
 */
public class IdentityClaimLostException extends RuntimeException {

    public IdentityClaimLostException(String message) {
        super(message);
    }
}
