package org.openaudience.input;

/** An input as people who may not see its credentials know it. */
public record InputSummary(long id, String name, Platform platform) {
}
