package org.openaudience.audit;

/** Security-relevant things that happen; each entry of the audit log has one. */
public enum AuditAction {
    LOGIN_SUCCEEDED("Login"),
    LOGIN_FAILED("Failed login"),
    ACCOUNT_LOCKED("Account locked"),
    LOGIN_REFUSED_LOCKED("Login refused: locked"),
    LOGIN_REFUSED_INACTIVE("Login refused: deactivated"),
    ACCESS_REFUSED("Access refused"),
    PASSWORD_CHANGED("Password changed"),
    MEMBER_ADDED("Member added"),
    MEMBER_CHANGED("Member changed"),
    MEMBER_DEACTIVATED("Member deactivated"),
    MEMBER_REACTIVATED("Member reactivated"),
    PASSWORD_RESET("Password reset"),
    WORKSPACE_CREATED("Workspace created"),
    WORKSPACE_RENAMED("Workspace renamed"),
    WORKSPACE_DELETED("Workspace deleted"),
    INPUT_CREATED("Input created"),
    INPUT_SECRET_ROTATED("Input secret rotated"),
    INPUT_DISABLED("Input disabled"),
    INPUT_ENABLED("Input enabled"),
    AUDIENCE_CREATED("Audience created"),
    AUDIENCE_DEFINITION_CHANGED("Audience criteria changed"),
    AUDIENCE_DETAILS_CHANGED("Audience details changed"),
    AUDIENCE_ACTIVATED("Audience activated"),
    AUDIENCE_DEACTIVATED("Audience deactivated"),
    AUDIENCE_DELETED("Audience deleted"),
    AUDIENCE_DOWNLOADED("Audience members downloaded"),
    AB_TEST_SAVED("A/B test saved"),
    AB_TEST_DELETED("A/B test deleted"),
    OUTPUT_CREATED("Output created"),
    OUTPUT_CHANGED("Output changed"),
    OUTPUT_DELETED("Output deleted"),
    OUTPUT_TESTED("Output tested"),
    AUDIENCE_CONNECTED("Audience connected to output"),
    CONNECTION_PAUSED("Connection paused"),
    CONNECTION_RESUMED("Connection resumed"),
    AUDIENCE_DISCONNECTED("Audience disconnected from output"),
    API_TOKEN_CREATED("API token created"),
    API_TOKEN_REVOKED("API token revoked"),
    API_TOKEN_REFUSED("API token refused");

    private final String label;

    AuditAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
