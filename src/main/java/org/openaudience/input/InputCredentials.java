package org.openaudience.input;

/** An input's key and secret, as shown once after creating an input or rotating its secret. */
public record InputCredentials(long inputId, String apiKey, String secret) {
}
