package org.openaudience.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
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

/** Creating an audience, saving its criteria and editing its details each leave an audit entry. */
@IntegrationTest
class AudienceAuditTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    AudienceDetails details;
    @Autowired
    AuditLog audit;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;

    TestMembers members;
    Workspace workspace;
    Member user;
    String name;

    @BeforeEach
    void aUser() {
        members = new TestMembers(team, workspaces);
        workspace = members.workspace("Audited audiences");
        user = members.member(Role.USER, workspace);
        name = "Audited " + TestMembers.unique();
    }

    <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    List<AuditEntry> entries(AuditAction action) {
        return members.asAdmin(() -> audit.page(new AuditFilter(Set.of(action), name, null, null), 0, 100).toList());
    }

    Audience draft() {
        return asUser(() -> audiences.createAudience(workspace.id(), name, null,
                Definition.of(EventCriterion.event("Play Video"))));
    }

    @Test
    void creating_an_audience_is_audited() {
        draft();

        assertThat(entries(AuditAction.AUDIENCE_CREATED)).singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(user.getEmail());
            assertThat(entry.target()).isEqualTo(name);
            assertThat(entry.workspaceId()).isEqualTo(workspace.id());
        });
    }

    @Test
    void saving_new_criteria_is_audited_with_the_definition_version() {
        Audience audience = draft();

        asUser(() -> audiences.updateDefinition(audience.id(), Definition.of(EventCriterion.event("Search"))));

        assertThat(entries(AuditAction.AUDIENCE_DEFINITION_CHANGED)).singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(user.getEmail());
            assertThat(entry.detail()).isEqualTo("definition version 2");
            assertThat(entry.workspaceId()).isEqualTo(workspace.id());
        });
    }

    @Test
    void editing_details_is_audited_with_what_changed_and_saving_unchanged_details_is_not() {
        Audience audience = draft();

        asUser(() -> details.updateDetails(audience.id(), name + " fans", "paris-fans", "Likes Paris",
                Set.of("video", "paris")));
        asUser(() -> details.updateDetails(audience.id(), name + " fans", "paris-fans", "Likes Paris",
                Set.of("paris", "video")));

        assertThat(entries(AuditAction.AUDIENCE_DETAILS_CHANGED)).singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(user.getEmail());
            assertThat(entry.target()).isEqualTo(name + " fans");
            assertThat(entry.detail()).isEqualTo("name \"" + name + "\" → \"" + name + " fans\"; external name \""
                    + name + "\" → \"paris-fans\"; description changed; tags [] → [paris, video]");
            assertThat(entry.workspaceId()).isEqualTo(workspace.id());
        });
    }
}
