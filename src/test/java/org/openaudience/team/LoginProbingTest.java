package org.openaudience.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.LoginRequests.login;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.security.Role;
import org.openaudience.testsupport.CountingPasswordEncoder;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.LoginRequests;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Someone probing the login form learns nothing from how long an answer takes (every account state costs one
 * password check), and one client address trying many accounts is throttled.
 */
@IntegrationTest
@AutoConfigureMockMvc
class LoginProbingTest {

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
    @Autowired
    PasswordEncoder passwordEncoder;

    TestMembers members;
    Member member;
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

    /** How many password checks the login cost. */
    private int passwordChecks(String email, String password) throws Exception {
        int before = ((CountingPasswordEncoder) passwordEncoder).matchesCalls();
        mvc.perform(login(email, password, address)).andExpect(unauthenticated());
        return ((CountingPasswordEncoder) passwordEncoder).matchesCalls() - before;
    }

    @Test
    void unknown_emails_wrong_passwords_locked_and_deactivated_accounts_all_cost_one_password_check() throws Exception {
        assertThat(passwordChecks(member.getEmail(), "wrong")).as("wrong password").isEqualTo(1);
        assertThat(passwordChecks("nobody-" + TestMembers.unique() + "@openaudience.test", "whatever"))
                .as("unknown email").isEqualTo(1);

        for (int attempt = 2; attempt <= 5; attempt++) {
            passwordChecks(member.getEmail(), "wrong");
        }
        assertThat(passwordChecks(member.getEmail(), TestMembers.PASSWORD)).as("locked, right password")
                .isEqualTo(1);
        assertThat(passwordChecks(member.getEmail(), "wrong")).as("locked, wrong password").isEqualTo(1);

        Member deactivated = members.member(Role.USER);
        members.asAdmin(() -> team.deactivateMember(deactivated.getId()));
        assertThat(passwordChecks(deactivated.getEmail(), TestMembers.PASSWORD)).as("deactivated").isEqualTo(1);
    }

    @Test
    void a_locked_account_is_refused_whatever_the_password_and_the_lock_is_not_extended_by_more_guesses()
            throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            mvc.perform(login(member.getEmail(), "wrong-" + attempt, address)).andExpect(unauthenticated());
        }
        clock.advance(Duration.ofMinutes(10));
        mvc.perform(login(member.getEmail(), "still-wrong", address)).andExpect(unauthenticated());
        clock.advance(Duration.ofMinutes(6));
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, LoginRequests.newAddress()))
                .andExpect(authenticated().withUsername(member.getEmail()));
    }

    private ResultActions failFrom(String from, int times) throws Exception {
        ResultActions last = null;
        for (int attempt = 1; attempt <= times; attempt++) {
            String email = attempt % 2 == 0 ? "probe-" + attempt + "-" + TestMembers.unique() + "@openaudience.test"
                    : members.member(Role.READ_ONLY).getEmail();
            last = mvc.perform(login(email, "guess-" + attempt, from));
        }
        return last;
    }

    @Test
    void twenty_failed_logins_from_one_address_across_emails_throttle_it_and_not_another_address() throws Exception {
        failFrom(address, 20).andExpect(unauthenticated()).andExpect(redirectedUrl("/login?error"));

        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(unauthenticated())
                .andExpect(redirectedUrl("/login?throttled=15"));
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, LoginRequests.newAddress()))
                .andExpect(authenticated().withUsername(member.getEmail()));

        assertThat(members.asAdmin(() -> audit.page(new AuditFilter(Set.of(AuditAction.LOGIN_FAILED),
                member.getEmail(), null, null), 0, 10).toList())).singleElement().satisfies(entry -> {
                    assertThat(entry.detail()).isEqualTo("refused: too many failed logins from this address");
                    assertThat(entry.clientAddress()).isEqualTo(address);
                });
    }

    @Test
    void a_throttled_address_may_try_again_once_its_oldest_failure_leaves_the_window() throws Exception {
        failFrom(address, 1);
        clock.advance(Duration.ofMinutes(5));
        failFrom(address, 19);
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(redirectedUrl("/login?throttled=10"));

        clock.advance(Duration.ofMinutes(10));
        mvc.perform(login(member.getEmail(), TestMembers.PASSWORD, address))
                .andExpect(authenticated().withUsername(member.getEmail()));
    }
}
