package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/** The getting-started loop of the Events API: send with curl-like HTTP, see it in the Catalog and the lookup. */
class EventsApiBrowserTest extends BrowserTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;

    @Test
    void an_event_sent_to_the_api_shows_up_in_the_catalog_and_the_users_lookup() throws Exception {
        IngestFixture fixture = fixtures.create();
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
