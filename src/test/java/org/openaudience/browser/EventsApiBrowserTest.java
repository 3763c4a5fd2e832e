package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The getting-started loop of the Events API: send with curl-like HTTP, see it in the Catalog and the lookup. */
class EventsApiBrowserTest extends BrowserTest {

    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;
    @Autowired
    JdbcClient jdbc;

    @Test
    void an_event_sent_to_the_api_shows_up_in_the_catalog_and_the_users_lookup() throws Exception {
        TestMembers members = new TestMembers(team, workspaces);
        IngestFixture fixture = new IngestFixture(members, inputs, jdbc);
        String customer = "browser-" + TestMembers.unique();
        String body = """
                {"environment":"development","user_identities":{"customer_id":"%s"},
                 "user_attributes":{"status":"Premium"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Watch Trailer",
                   "custom_event_type":"media","custom_attributes":{"destination":"Cannes"}}}]}""".formatted(customer);
        assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), body)).isEqualTo(202);
        RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> workspaces.switchTo(fixture.workspace.id()));

        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("data/catalog");
        waitForText("Watch Trailer");
        open("users/lookup?kind=CUSTOMER_ID&value=" + customer);
        waitForText("Premium");
        waitForText("Watch Trailer");
        assertThat(driver.findElement(org.openqa.selenium.By.tagName("body")).getText()).contains("Cannes");
    }
}
