package org.openaudience.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.LoginRequests.login;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.security.Role;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.LoginRequests;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** Logins through the real Spring Security filter chain, with the clock moved by hand. */
@IntegrationTest
@AutoConfigureMockMvc
class LoginLockoutTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AuditLog audit;
    @Autowired
    MutableClock clock;

    TestMembers members;
    Member member;
    /** This test's client address: failed logins also count per address, across the tests of the context. */
    String address;

    @BeforeEach
    void setUp() {
        members = new TestMembers(team, workspaces);
        member = members.member(Role.USER);
        address = LoginRequests.newAddress();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void five_wrong_passwords_lock_the_account_for_fifteen_minutes() throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            mvc.perform(login(member.getEmail(), "wrong-" + attempt, address))
                    .andExpect(unauthenticated());
        }
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(unauthenticated());

        clock.advance(Duration.ofMinutes(14));
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(unauthenticated());

        clock.advance(Duration.ofMinutes(2));
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(authenticated().withUsername(member.getEmail()));

        assertThat(actionsOf(member.getEmail())).containsSubsequence(
                AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED,
                AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED, AuditAction.ACCOUNT_LOCKED,
                AuditAction.LOGIN_REFUSED_LOCKED, AuditAction.LOGIN_REFUSED_LOCKED, AuditAction.LOGIN_SUCCEEDED);
    }

    @Test
    void a_success_resets_the_failure_count() throws Exception {
        for (int attempt = 1; attempt <= 4; attempt++) {
            mvc.perform(login(member.getEmail(), "wrong", address)).andExpect(unauthenticated());
        }
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(authenticated());
        for (int attempt = 1; attempt <= 4; attempt++) {
            mvc.perform(login(member.getEmail(), "wrong", address)).andExpect(unauthenticated());
        }
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(authenticated());
        assertThat(actionsOf(member.getEmail())).doesNotContain(AuditAction.ACCOUNT_LOCKED);
    }

    @Test
    void an_admin_password_reset_unlocks_the_account() throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            mvc.perform(login(member.getEmail(), "wrong", address)).andExpect(unauthenticated());
        }
        members.asAdmin(() -> team.resetPassword(member.getId(), "Fresh-temp-pass-7"));
        mvc.perform(login(member.getEmail(), "Fresh-temp-pass-7", address))
                .andExpect(authenticated());
    }

    @Test
    void deactivated_members_and_unknown_emails_cannot_log_in_and_are_audited_with_their_address() throws Exception {
        members.asAdmin(() -> team.deactivateMember(member.getId()));
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(unauthenticated());
        String stranger = "nobody-" + TestMembers.unique() + "@openaudience.test";
        mvc.perform(login(stranger, "whatever", address)).andExpect(unauthenticated());

        assertThat(actionsOf(member.getEmail())).contains(AuditAction.LOGIN_REFUSED_INACTIVE);
        List<AuditEntry> strangerEntries = entriesOf(stranger);
        assertThat(strangerEntries).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo(AuditAction.LOGIN_FAILED);
            assertThat(entry.detail()).isEqualTo("unknown email");
            assertThat(entry.clientAddress()).isEqualTo(address);
            assertThat(entry.occurredAt()).isEqualTo(clock.instant());
        });
    }

    private List<AuditAction> actionsOf(String email) {
        List<AuditAction> newestFirst = new java.util.ArrayList<>(entriesOf(email).stream().map(AuditEntry::action)
                .toList());
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    private List<AuditEntry> entriesOf(String email) {
        return members.asAdmin(() -> audit.page(new AuditFilter(Set.of(AuditAction.LOGIN_SUCCEEDED,
                        AuditAction.LOGIN_FAILED, AuditAction.ACCOUNT_LOCKED, AuditAction.LOGIN_REFUSED_LOCKED,
                        AuditAction.LOGIN_REFUSED_INACTIVE), email, null, null), 0, 100).toList());
    }
}
