package org.openaudience.security;

import java.util.EnumSet;
import java.util.Set;

/** The roles of PRODUCT.md §6. The {@code Names} constants feed {@code @RolesAllowed} on views. */
public enum Role {
    ADMIN("Admin", "Everything, including team members, workspaces, inputs and API credentials."),
    SUPPORT("Support", "Like Admin, but cannot manage team members."),
    USER("User", "Audiences, outputs and connections, Live Stream; not team or credentials."),
    AUDIENCES_ONLY("Audiences Only", "Audiences and connecting them to existing outputs; nothing else."),
    READ_ONLY("Read Only", "View audiences, sizes, the catalog and the Live Stream; change and download nothing.");

    private final String label;
    private final String description;

    Role(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Admins always see every workspace; everyone else may be limited to some. */
    public boolean seesAllWorkspaces() {
        return this == ADMIN;
    }

    public static Set<Role> all() {
        return EnumSet.allOf(Role.class);
    }

    public static final class Names {
        public static final String ADMIN = "ADMIN";
        public static final String SUPPORT = "SUPPORT";
        public static final String USER = "USER";
        public static final String AUDIENCES_ONLY = "AUDIENCES_ONLY";
        public static final String READ_ONLY = "READ_ONLY";

        private Names() {
        }
    }
}
