package org.openaudience.abtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/** The rules of §3.6: Control keeps the rest, totals over 100 refused, at most 5, Save freezes, Delete removes. */
@IntegrationTest
class AbTestServiceTest {

    @Autowired
    AbTestService tests;
    @Autowired
    AudienceService audiences;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;

    Member user;
    Workspace workspace;
    long audienceId;

    @BeforeEach
    void anAudience() {
        TestMembers members = new TestMembers(team, workspaces);
        workspace = members.workspace("AB");
        user = members.member(Role.USER, workspace);
        audienceId = asUser(() -> audiences.createAudience(workspace.id(), "Split", null,
                Definition.of(EventCriterion.event("Play Video")))).id();
    }

    <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    @Test
    void control_keeps_the_rest_and_totals_of_100_or_more_are_refused() {
        AbTest started = asUser(() -> tests.startTest(audienceId));
        assertThat(started.variations()).containsExactly(new Variation(0, "Control", 100));
        asUser(() -> tests.addVariation(audienceId, 30, "Half price"));
        AbTest two = asUser(() -> tests.addVariation(audienceId, 20, " "));
        assertThat(two.variations()).containsExactly(new Variation(0, "Control", 50),
                new Variation(1, "Half price", 30), new Variation(2, "Variation 2", 20));
        assertThatThrownBy(() -> asUser(() -> tests.addVariation(audienceId, 50, "Too much")))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("Use 1 to 49 %");
        asUser(() -> tests.addVariation(audienceId, 10, null));
        asUser(() -> tests.addVariation(audienceId, 10, null));
        assertThatThrownBy(() -> asUser(() -> tests.addVariation(audienceId, 1, null)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 5 variations");
        assertThat(asUser(() -> tests.test(audienceId)).orElseThrow().variations()).hasSize(5);
    }

    @Test
    void save_freezes_the_split_and_delete_starts_over() {
        asUser(() -> tests.startTest(audienceId));
        assertThatThrownBy(() -> asUser(() -> tests.saveTest(audienceId)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at least one variation");
        asUser(() -> tests.addVariation(audienceId, 25, "B"));
        assertThat(asUser(() -> tests.saveTest(audienceId)).saved()).isTrue();
        assertThatThrownBy(() -> asUser(() -> tests.addVariation(audienceId, 5, "C")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("frozen");
        asUser(() -> {
            tests.deleteTest(audienceId);
            return null;
        });
        assertThat(asUser(() -> tests.test(audienceId))).isEmpty();
        assertThat(asUser(() -> tests.startTest(audienceId)).variations()).hasSize(1);
    }

    @Test
    void read_only_members_change_nothing() {
        Member readOnly = new TestMembers(team, workspaces).member(Role.READ_ONLY, workspace);
        assertThatThrownBy(() -> RunAs.member(readOnly.getEmail(), Role.READ_ONLY, () -> tests.startTest(audienceId)))
                .isInstanceOf(AccessRefusedException.class);
        assertThat(asUser(() -> tests.test(audienceId))).isEmpty();
    }

    @Autowired
    AuditLog audit;

    private List<AuditEntry> audited(AuditAction action) {
        return new TestMembers(team, workspaces).asAdmin(() -> audit.page(new AuditFilter(Set.of(action), null,
                null, null), 0, 10_000).toList()).stream()
                .filter(entry -> workspace.id().equals(entry.workspaceId())).toList();
    }

    @Test
    void saving_and_deleting_a_test_are_audited_with_the_split() {
        asUser(() -> tests.startTest(audienceId));
        asUser(() -> tests.addVariation(audienceId, 30, "Half price"));
        asUser(() -> tests.saveTest(audienceId));
        asUser(() -> {
            tests.deleteTest(audienceId);
            return null;
        });

        assertThat(audited(AuditAction.AB_TEST_SAVED)).singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(user.getEmail());
            assertThat(entry.target()).isEqualTo("Split");
            assertThat(entry.detail()).isEqualTo("Control 70 %, Half price 30 %");
        });
        assertThat(audited(AuditAction.AB_TEST_DELETED)).singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(user.getEmail());
            assertThat(entry.detail()).isEqualTo("saved: Control 70 %, Half price 30 %");
        });
    }
}
