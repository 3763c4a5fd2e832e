package org.openaudience.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openaudience.audience.AudienceDetails;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.AudienceService;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.NotFoundException;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.audit.AuditLog;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.livestream.LiveStreamHub;
import org.openaudience.profile.LookupKind;
import org.openaudience.profile.ProfileService;
import org.openaudience.livestream.StreamListener;
import org.openaudience.team.Member;
import org.openaudience.team.MemberForm;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/** Calls the services directly as each role: refusals happen on the server, whatever the UI shows. */
@IntegrationTest
class RoleMatrixTest {

    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;
    @Autowired
    AuditLog audit;
    @Autowired
    LiveStreamHub hub;
    @Autowired
    ProfileService profiles;
    @Autowired
    AudienceService audiences;
    @Autowired
    AudienceDetails audienceDetails;
    @Autowired
    AudienceHistory history;
    @Autowired
    org.openaudience.output.OutputService outputs;

    TestMembers members;
    Workspace workspace;
    Workspace otherWorkspace;

    @BeforeEach
    void setUp() {
        members = new TestMembers(team, workspaces);
        workspace = members.workspace("Matrix");
        otherWorkspace = members.workspace("Elsewhere");
    }

    /** What each role may do, per PRODUCT.md §6 and issue #2. */
    private static final Map<Role, Set<String>> ALLOWED = new EnumMap<>(Map.of(
            Role.ADMIN, Set.of("team", "workspaces", "inputs", "audit", "live stream", "lookup"),
            Role.SUPPORT, Set.of("workspaces", "inputs", "audit", "live stream", "lookup"),
            Role.USER, Set.of("live stream", "lookup"),
            Role.AUDIENCES_ONLY, Set.of("lookup"),
            Role.READ_ONLY, Set.of("live stream")));

    @ParameterizedTest
    @EnumSource(Role.class)
    void each_role_is_allowed_exactly_its_capabilities(Role role) {
        Member member = members.member(role, workspace);
        Map<String, Supplier<Object>> calls = Map.of(
                "team", () -> team.addMember(new MemberForm("X", "x-" + TestMembers.unique() + "@t.dev",
                        Role.READ_ONLY, true, Set.of(), "Another-pass-9")),
                "workspaces", () -> workspaces.createWorkspace("By " + role + " " + TestMembers.unique()),
                "inputs", () -> inputs.addInput(workspace.id(), "In " + TestMembers.unique(), Platform.WEB),
                "audit", () -> audit.count(AuditFilter.none()),
                "lookup", () -> profiles.lookup(workspace.id(), LookupKind.CUSTOMER_ID, "nobody"),
                "live stream", () -> {
                    StreamListener listener = (events, rate) -> { };
                    hub.subscribe(workspace.id(), listener);
                    hub.unsubscribe(workspace.id(), listener);
                    return "subscribed";
                });
        calls.forEach((capability, call) -> {
            Supplier<Object> asMember = () -> RunAs.member(member.getEmail(), role, call);
            if (ALLOWED.get(role).contains(capability)) {
                assertThat(asMember.get()).as(role + " may " + capability).isNotNull();
            } else {
                assertThatThrownBy(asMember::get).as(role + " may not " + capability)
                        .isInstanceOf(AccessRefusedException.class);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"SUPPORT", "USER", "READ_ONLY"})
    void members_limited_to_some_workspaces_are_refused_the_others(Role role) {
        Member member = members.member(role, workspace);
        RunAs.member(member.getEmail(), role, () -> {
            assertThat(workspaces.accessibleWorkspaces()).extracting(Workspace::id)
                    .contains(workspace.id()).doesNotContain(otherWorkspace.id());
            assertThatThrownBy(() -> workspaces.switchTo(otherWorkspace.id()))
                    .isInstanceOf(AccessRefusedException.class);
            if (role == Role.SUPPORT) {
                assertThat(workspaces.page("", 0, 10_000)).extracting(Workspace::id)
                        .contains(workspace.id()).doesNotContain(otherWorkspace.id());
                assertThat(workspaces.count(otherWorkspace.name())).isZero();
                assertThat(inputs.count(workspace.id())).isZero();
                assertThatThrownBy(() -> inputs.count(otherWorkspace.id())).isInstanceOf(AccessRefusedException.class);
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"SUPPORT", "USER", "AUDIENCES_ONLY", "READ_ONLY"})
    void only_admins_list_every_workspace_for_granting_access(Role role) {
        Member member = members.member(role);
        assertThatThrownBy(() -> RunAs.member(member.getEmail(), role, workspaces::allWorkspaces))
                .isInstanceOf(AccessRefusedException.class);
        assertThat(members.asAdmin(workspaces::allWorkspaces)).extracting(Workspace::id)
                .contains(workspace.id(), otherWorkspace.id());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void deactivated_members_are_refused_everything(Role role) {
        Member member = members.member(role);
        members.asAdmin(() -> team.deactivateMember(member.getId()));
        assertThatThrownBy(() -> RunAs.member(member.getEmail(), role, workspaces::accessibleWorkspaces))
                .isInstanceOf(AccessRefusedException.class);
    }

    @org.junit.jupiter.api.Test
    void anonymous_callers_are_refused() {
        assertThatThrownBy(workspaces::accessibleWorkspaces).isInstanceOf(AccessRefusedException.class);
        assertThatThrownBy(() -> audit.count(AuditFilter.none())).isInstanceOf(AccessRefusedException.class);
    }

    @org.junit.jupiter.api.Test
    void a_role_change_applies_at_once_without_a_new_login() {
        Member member = members.member(Role.SUPPORT);
        assertThat(RunAs.member(member.getEmail(), Role.SUPPORT, () -> audit.count(AuditFilter.none()))).isPositive();
        members.asAdmin(() -> team.updateMember(member.getId(), new MemberForm(member.getName(), member.getEmail(),
                Role.READ_ONLY, true, Set.of(), null)));
        assertThatThrownBy(() -> RunAs.member(member.getEmail(), Role.SUPPORT, () -> audit.count(AuditFilter.none())))
                .isInstanceOf(AccessRefusedException.class);
    }

    @org.junit.jupiter.api.Test
    void ids_of_another_workspace_answer_exactly_like_ids_that_do_not_exist() {
        long audience = members.asAdmin(() -> audiences.createAudience(otherWorkspace.id(), "Elsewhere " 
                + TestMembers.unique(), null, Definition.of(EventCriterion.event("Play Video")))).id();
        long input = members.asAdmin(() -> inputs.addInput(otherWorkspace.id(), "Elsewhere " + TestMembers.unique(),
                Platform.WEB)).inputId();
        long output = members.asAdmin(() -> outputs.createOutput(otherWorkspace.id(),
                org.openaudience.output.OutputSettings.fileDrop("Elsewhere " + TestMembers.unique(), "elsewhere"
                        + TestMembers.unique()))).id();
        Member support = members.member(Role.SUPPORT, workspace);
        Map<String, java.util.function.LongFunction<Object>> lookups = Map.of(
                "output", outputs::output,
                "output update", id -> outputs.updateOutput(id, org.openaudience.output.OutputSettings.fileDrop(
                        "Mine now", "mine")),
                "audience", audiences::audience,
                "details", id -> audienceDetails.updateDetails(id, "Mine now", null, null, Set.of()),
                "delete", id -> {
                    audiences.deleteAudience(id);
                    return null;
                },
                "history", history::versions,
                "rotate", inputs::rotateSecret,
                "disable", id -> inputs.setEnabled(id, false));
        lookups.forEach((name, lookup) -> {
            long existing = name.equals("rotate") || name.equals("disable") ? input
                    : name.startsWith("output") ? output : audience;
            String walledOff = refusal(support, () -> lookup.apply(existing)).replace(existing + "", "N");
            String missing = refusal(support, () -> lookup.apply(existing + 1_000_000))
                    .replace(existing + 1_000_000 + "", "N");
            assertThat(walledOff).as(name).isEqualTo(missing).contains("does not exist");
        });
        assertThat(members.asAdmin(() -> audiences.audience(audience))).as("nothing changed").isNotNull();
        assertThat(members.asAdmin(() -> audit.page(new AuditFilter(Set.of(AuditAction.ACCESS_REFUSED),
                support.getEmail(), null, null), 0, 100).toList())).as("the refusals are still audited")
                .hasSize(lookups.size()).extracting(AuditEntry::detail)
                .allMatch(detail -> detail.contains("workspace " + otherWorkspace.id()));
    }

    private static String refusal(Member member, Supplier<Object> call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> RunAs.member(member.getEmail(), member.getRole(), call));
        assertThat(thrown).isExactlyInstanceOf(NotFoundException.class);
        return thrown.getMessage();
    }
}
