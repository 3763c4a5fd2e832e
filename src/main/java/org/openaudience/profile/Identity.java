package org.openaudience.profile;

/** One identity of a profile, e.g. type {@code email}, value {@code ana@example.com}. */
public record Identity(String type, String value) {
}
