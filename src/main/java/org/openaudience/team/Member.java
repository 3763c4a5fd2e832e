package org.openaudience.team;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.openaudience.security.Role;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/** A team member who signs in to the web app, with their role, workspace access and lockout state. */
@Table("member")
public class Member {

    @Id
    private Long id;
    private String email;
    private String name;
    private Role role;
    private String passwordHash;
    private boolean allWorkspaces;
    @MappedCollection(idColumn = "member")
    private Set<MemberWorkspace> workspaces;
    private boolean active;
    private boolean mustChangePassword;
    private int failedLogins;
    private Instant lockedUntil;
    private Instant lastLoginAt;
    private Instant createdAt;
    @Version
    private Integer version;

    Member() {
    }

    static Member create(String email, String name, Role role, String passwordHash, boolean allWorkspaces,
                         Set<Long> workspaceIds, boolean mustChangePassword, Instant now) {
        Member member = new Member();
        member.email = email;
        member.name = name;
        member.role = role;
        member.passwordHash = passwordHash;
        member.active = true;
        member.mustChangePassword = mustChangePassword;
        member.createdAt = now;
        member.grantWorkspaces(allWorkspaces, workspaceIds);
        return member;
    }

    void grantWorkspaces(boolean all, Set<Long> workspaceIds) {
        this.allWorkspaces = all;
        this.workspaces = all ? Set.of()
                : workspaceIds.stream().map(MemberWorkspace::new).collect(Collectors.toSet());
    }

    void rename(String newName) {
        this.name = newName;
    }

    void changeRole(Role newRole) {
        this.role = newRole;
    }

    void deactivate() {
        this.active = false;
    }

    void reactivate() {
        this.active = true;
        unlock();
    }

    /** An Admin set a temporary password: the member must choose their own at the next login. */
    void resetPassword(String temporaryPasswordHash) {
        this.passwordHash = temporaryPasswordHash;
        this.mustChangePassword = true;
        unlock();
    }

    void changePassword(String newPasswordHash) {
        this.passwordHash = newPasswordHash;
        this.mustChangePassword = false;
    }

    private void unlock() {
        failedLogins = 0;
        lockedUntil = null;
    }

    public boolean isLockedAt(Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    public Set<Long> workspaceIds() {
        return workspaces.stream().map(MemberWorkspace::workspaceId).collect(Collectors.toSet());
    }

    public Long getId() {
        return id;
    }

    public String getEmail() {
        return email;
    }

    public String getName() {
        return name;
    }

    public Role getRole() {
        return role;
    }

    String getPasswordHash() {
        return passwordHash;
    }

    public boolean isAllWorkspaces() {
        return allWorkspaces;
    }

    public boolean isActive() {
        return active;
    }

    public boolean isMustChangePassword() {
        return mustChangePassword;
    }

    public int getFailedLogins() {
        return failedLogins;
    }

    public Instant getLockedUntil() {
        return lockedUntil;
    }

    public Instant getLastLoginAt() {
        return lastLoginAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Integer getVersion() {
        return version;
    }
}
