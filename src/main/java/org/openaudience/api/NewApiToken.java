package org.openaudience.api;

/** A token just created: the only moment its secret exists outside the caller's hands. */
public record NewApiToken(ApiToken token, String secret) {
}
