package org.openaudience.security;

import static org.openaudience.security.Role.ADMIN;
import static org.openaudience.security.Role.SUPPORT;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a role may do, checked by services on every call (the menu only mirrors it). Support may do everything an
 * Admin can except team management (issue #2).
 */
public enum Capability {
    MANAGE_TEAM(EnumSet.of(ADMIN)),
    MANAGE_WORKSPACES(EnumSet.of(ADMIN, SUPPORT)),
    MANAGE_INPUTS(EnumSet.of(ADMIN, SUPPORT)),
    READ_AUDIT_LOG(EnumSet.of(ADMIN, SUPPORT)),
    /** Create, edit, activate, deactivate and delete audiences (PRODUCT.md §6). */
    EDIT_AUDIENCES(EnumSet.of(ADMIN, SUPPORT, Role.USER, Role.AUDIENCES_ONLY)),
    /** Member downloads and exports: everyone who edits audiences; never Read Only. */
    DOWNLOAD_AUDIENCES(EnumSet.of(ADMIN, SUPPORT, Role.USER, Role.AUDIENCES_ONLY)),
    /** Users › Lookup shows identities (personal data): not for Read Only. */
    LOOK_UP_USERS(EnumSet.of(ADMIN, SUPPORT, Role.USER, Role.AUDIENCES_ONLY)),
    /** Setup › Outputs: create, edit and delete webhooks and file drops (PRODUCT.md §6: not Audiences Only). */
    MANAGE_OUTPUTS(EnumSet.of(ADMIN, SUPPORT, Role.USER)),
    /** Connect audiences to existing outputs, pause, resume and disconnect them. */
    CONNECT_AUDIENCES(EnumSet.of(ADMIN, SUPPORT, Role.USER, Role.AUDIENCES_ONLY)),
    /** Everyone but Audiences Only (PRODUCT.md §6). */
    WATCH_LIVE_STREAM(EnumSet.of(ADMIN, SUPPORT, Role.USER, Role.READ_ONLY));

    private final Set<Role> roles;

    Capability(Set<Role> roles) {
        this.roles = roles;
    }

    public boolean grantedTo(Role role) {
        return roles.contains(role);
    }
}
