package org.openaudience.security;

/** Published whenever the guard refuses a call, so the audit log can record it without security depending on it. */
public record AccessRefused(String actor, String reason) {
}
