package org.openaudience.team;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.ClientAddress;
import org.openaudience.security.MemberAccess;
import org.openaudience.security.Role;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Settings › Team: adding members, changing their role and workspaces, deactivating, resetting passwords. */
@Service
public class TeamService {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final MemberRepository members;
    private final WorkspaceService workspaces;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final PasswordEncoder passwordEncoder;
    private final LoginAttempts loginAttempts;
    private final Clock clock;

    TeamService(MemberRepository members, WorkspaceService workspaces, AccessGuard guard, AuditLog audit,
                PasswordEncoder passwordEncoder, LoginAttempts loginAttempts, Clock clock) {
        this.loginAttempts = loginAttempts;
        this.members = members;
        this.workspaces = workspaces;
        this.guard = guard;
        this.audit = audit;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    /** The signed-in member. */
    @Transactional(readOnly = true)
    public Member currentMember() {
        return find(guard.currentMember().memberId());
    }

    @Transactional(readOnly = true)
    public Member member(long memberId) {
        guard.require(Capability.MANAGE_TEAM);
        return find(memberId);
    }

    @Transactional(readOnly = true)
    public List<Member> page(String filter, int offset, int limit) {
        guard.require(Capability.MANAGE_TEAM);
        String text = filter == null ? "" : filter.trim();
        int size = Math.max(limit, 1);
        return members.findByNameContainingOrEmailContainingOrderByNameAsc(text, text,
                PageRequest.of(offset / size, size));
    }

    @Transactional(readOnly = true)
    public int count(String filter) {
        guard.require(Capability.MANAGE_TEAM);
        String text = filter == null ? "" : filter.trim();
        return (int) members.countByNameContainingOrEmailContaining(text, text);
    }

    @Transactional
    public Member addMember(MemberForm form) {
        guard.require(Capability.MANAGE_TEAM);
        String name = validName(form.name());
        String email = validEmail(form.email());
        if (members.findByEmail(email).isPresent()) {
            throw new InvalidRequestException("email", "A member with this email already exists.");
        }
        Role role = validRole(form.role());
        validPassword(form.temporaryPassword(), email, "temporaryPassword");
        Set<Long> workspaceIds = validWorkspaces(role, form.allWorkspaces(), form.workspaceIds());
        Member member = members.save(Member.create(email, name, role,
                passwordEncoder.encode(form.temporaryPassword()), form.allWorkspaces(), workspaceIds, true,
                clock.instant()));
        audit.record(AuditAction.MEMBER_ADDED, email, "role " + role.label() + ", " + describe(member), null);
        return member;
    }

    /** Changes name, role and workspaces. The last active Admin cannot be demoted. */
    @Transactional
    public Member updateMember(long memberId, MemberForm form) {
        MemberAccess admin = guard.require(Capability.MANAGE_TEAM);
        Member member = find(memberId);
        String name = validName(form.name());
        Role role = validRole(form.role());
        Set<Long> workspaceIds = validWorkspaces(role, form.allWorkspaces(), form.workspaceIds());
        if (member.getRole() == Role.ADMIN && role != Role.ADMIN) {
            if (member.getId() == admin.memberId()) {
                throw new InvalidRequestException("role", "You cannot remove your own Admin role.");
            }
            requireAnotherActiveAdmin(member);
        }
        String before = member.getRole().label() + ", " + describe(member);
        member.rename(name);
        member.changeRole(role);
        member.grantWorkspaces(form.allWorkspaces(), workspaceIds);
        Member saved = members.save(member);
        audit.record(AuditAction.MEMBER_CHANGED, member.getEmail(),
                "was " + before + "; now " + role.label() + ", " + describe(saved), null);
        return saved;
    }

    @Transactional
    public Member deactivateMember(long memberId) {
        MemberAccess admin = guard.require(Capability.MANAGE_TEAM);
        Member member = find(memberId);
        if (member.getId() == admin.memberId()) {
            throw new InvalidRequestException(null, "You cannot deactivate yourself.");
        }
        if (member.getRole() == Role.ADMIN) {
            requireAnotherActiveAdmin(member);
        }
        member.deactivate();
        Member saved = members.save(member);
        audit.record(AuditAction.MEMBER_DEACTIVATED, member.getEmail(), null, null);
        return saved;
    }

    @Transactional
    public Member reactivateMember(long memberId) {
        guard.require(Capability.MANAGE_TEAM);
        Member member = find(memberId);
        member.reactivate();
        Member saved = members.save(member);
        audit.record(AuditAction.MEMBER_REACTIVATED, member.getEmail(), null, null);
        return saved;
    }

    /** Sets a temporary password, unlocks the account, and makes the member choose a new one at next login. */
    @Transactional
    public Member resetPassword(long memberId, String temporaryPassword) {
        guard.require(Capability.MANAGE_TEAM);
        Member member = find(memberId);
        validPassword(temporaryPassword, member.getEmail(), "temporaryPassword");
        member.resetPassword(passwordEncoder.encode(temporaryPassword));
        Member saved = members.save(member);
        audit.record(AuditAction.PASSWORD_RESET, member.getEmail(), null, null);
        return saved;
    }

    /**
     * Any signed-in member changes their own password, proving they know the current one. Wrong guesses count like
     * failed logins (and lock the account the same way), so an open session cannot be used to guess it.
     */
    @Transactional(noRollbackFor = InvalidRequestException.class)
    public void changeOwnPassword(String currentPassword, String newPassword) {
        Member member = find(guard.currentMember().memberId());
        if (member.isLockedAt(clock.instant())) {
            throw new InvalidRequestException("currentPassword", "Too many wrong passwords: the account is locked"
                    + " for a while. Try again later or ask an Admin to reset your password.");
        }
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw new InvalidRequestException("currentPassword", "Enter your current password.");
        }
        if (!passwordEncoder.matches(currentPassword, member.getPasswordHash())) {
            loginAttempts.recordWrongPassword(member.getEmail(), ClientAddress.current(), "change password");
            throw new InvalidRequestException("currentPassword", "The current password is not correct.");
        }
        validPassword(newPassword, member.getEmail(), "newPassword");
        if (passwordEncoder.matches(newPassword, member.getPasswordHash())) {
            throw new InvalidRequestException("newPassword", "Choose a password different from the current one.");
        }
        member.changePassword(passwordEncoder.encode(newPassword));
        members.save(member);
        audit.record(AuditAction.PASSWORD_CHANGED, member.getEmail(), null, null);
    }

    private void requireAnotherActiveAdmin(Member member) {
        if (member.isActive() && members.countByRoleAndActiveTrue(Role.ADMIN) <= 1) {
            throw new InvalidRequestException("role", "This is the last active Admin; make someone else Admin first.");
        }
    }

    private Member find(long memberId) {
        return members.findById(memberId)
                .orElseThrow(() -> new NotFoundException("Member " + memberId + " no longer exists."));
    }

    private String describe(Member member) {
        if (member.getRole().seesAllWorkspaces() || member.isAllWorkspaces()) {
            return "all workspaces";
        }
        return "workspaces " + member.workspaceIds().stream().sorted().toList();
    }

    private static String validEmail(String email) {
        String clean = MemberDetailsService.normalizeEmail(email);
        if (clean.isEmpty()) {
            throw new InvalidRequestException("email", "Enter an email address.");
        }
        if (clean.length() > 254 || !EMAIL.matcher(clean).matches()) {
            throw new InvalidRequestException("email", "Enter a valid email address, like name@example.com.");
        }
        return clean;
    }

    private static String validName(String name) {
        String clean = name == null ? "" : name.trim();
        if (clean.isEmpty()) {
            throw new InvalidRequestException("name", "Enter the member's name.");
        }
        if (clean.length() > 100) {
            throw new InvalidRequestException("name", "Use at most 100 characters.");
        }
        return clean;
    }

    private static Role validRole(Role role) {
        if (role == null) {
            throw new InvalidRequestException("role", "Choose a role.");
        }
        return role;
    }

    private Set<Long> validWorkspaces(Role role, boolean all, Set<Long> workspaceIds) {
        if (all) {
            return Set.of();
        }
        Set<Long> chosen = workspaceIds == null ? Set.of() : Set.copyOf(workspaceIds);
        if (chosen.isEmpty() && !role.seesAllWorkspaces()) {
            throw new InvalidRequestException("workspaces", "Choose at least one workspace, or All workspaces.");
        }
        Set<Long> existing = Set.copyOf(workspaces.allWorkspaces().stream().map(Workspace::id).toList());
        if (!existing.containsAll(chosen)) {
            throw new InvalidRequestException("workspaces", "One of the chosen workspaces no longer exists.");
        }
        return chosen;
    }

    private static void validPassword(String password, String email, String field) {
        PasswordPolicy.weakness(password, email).ifPresent(reason -> {
            throw new InvalidRequestException(field, reason);
        });
    }
}
