package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.MemberForm;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/** An open Live Stream page in Chromium stops when an Admin changes its member to a role without the stream. */
class LiveStreamAccessBrowserTest extends BrowserTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    TeamService team;
    @Autowired
    MutableClock clock;

    static String event(String name) {
        return """
                {"environment":"development","user_identities":{"customer_id":"watched-1"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"%s"}}]}""".formatted(name);
    }

    @Test
    void a_member_demoted_by_an_admin_sees_the_stream_end_and_no_more_events() throws Exception {
        IngestFixture fixture = fixtures.create();
        Member member = fixtures.members().member(Role.USER, fixture.workspace);
        RunAs.member(member.getEmail(), Role.USER, () -> workspaces.switchTo(fixture.workspace.id()));
        login(member.getEmail(), org.openaudience.testsupport.TestMembers.PASSWORD);
        open("data/live-stream");
        waitForText("Live ·");
        assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), event("Before Demotion")))
                .isEqualTo(202);
        waitForText("Before Demotion");

        try {
            fixtures.members().asAdmin(() -> team.updateMember(member.getId(), new MemberForm(member.getName(),
                    member.getEmail(), Role.AUDIENCES_ONLY, false, Set.of(fixture.workspace.id()), null)));
            clock.advance(Duration.ofSeconds(6)); // the hub's reading of the member is now due again
            waitForText("Your access to this workspace's Live Stream ended: your role (Audiences Only) does not "
                    + "include the Live Stream.");
        } finally {
            clock.reset();
        }
        assertThat(driver.findElements(By.cssSelector("vaadin-grid"))).isEmpty();

        assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), event("After Demotion")))
                .isEqualTo(202);
        Thread.sleep(1_500); // several dispatches (every 200 ms) and push round trips
        assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("After Demotion")
                .contains("Your access to this workspace's Live Stream ended");
    }
}
