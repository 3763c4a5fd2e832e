package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceList;
import org.openaudience.profile.LookupKind;
import org.openaudience.profile.ProfileService;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.CalculatedAudiences;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The UI timings the audience benchmark prints work on a small workspace (the benchmark itself runs with -Pbench). */
@IntegrationTest
class UiTimingsTest {

    @Autowired
    AudienceList list;
    @Autowired
    ProfileService profiles;
    @Autowired
    CalculatedAudiences calculated;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    JdbcClient jdbc;

    @Test
    void the_list_and_lookups_are_timed_as_an_admin_with_what_they_found() {
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Timings");
        Member user = members.member(Role.USER, workspace);
        calculated.playVideo(workspace, user, "Viewers");
        List<String> customerIds = jdbc.sql("SELECT identity_value FROM profile_identity WHERE workspace_id = ?"
                + " AND identity_type = 'customer_id'").param(workspace.id()).query(String.class).list();
        UiTimings ui = new UiTimings(list, profiles);

        UiTimings.Figures page = ui.audiencesList(workspace.id());
        UiTimings.Figures lookups = ui.lookups(workspace.id(), LookupKind.CUSTOMER_ID, customerIds);

        assertThat(page.runs()).isEqualTo(5);
        assertThat(page.note()).isEqualTo("1 rows");
        assertThat(page.maxMs()).isGreaterThanOrEqualTo(page.medianMs()).isPositive();
        assertThat(lookups.note()).isEqualTo("1 of 1 found");
        assertThat(lookups.toString()).startsWith("ui Users › Lookup (Customer ID)");
    }
}
