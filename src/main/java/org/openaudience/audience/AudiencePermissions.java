package org.openaudience.audience;

/** What a member may do with a workspace's audiences; the services check the same on every call. */
public record AudiencePermissions(boolean edit, boolean download, boolean explain) {
}
