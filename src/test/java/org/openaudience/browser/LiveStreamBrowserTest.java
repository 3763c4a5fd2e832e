package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/** Live Stream in Chromium: an event sent to the Events API appears within 2 s, and its details open on click. */
class LiveStreamBrowserTest extends BrowserTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;

    @Test
    void an_event_sent_to_the_api_appears_in_the_live_stream_and_opens_its_details() throws Exception {
        IngestFixture fixture = fixtures.create();
        RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> workspaces.switchTo(fixture.workspace.id()));
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("data/live-stream");
        waitForText("Live ·");

        String body = """
                {"environment":"development","user_identities":{"customer_id":"stream-1"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Book Hotel",
                   "custom_event_type":"transaction","custom_attributes":{"hotel":"Le Grand Paris","nights":"3"}}}]}""";
        assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), body)).isEqualTo(202);
        long acknowledged = System.nanoTime();

        WebElement cell = new WebDriverWait(driver, Duration.ofSeconds(2)).pollingEvery(Duration.ofMillis(50))
                .until(d -> d.findElements(
                        By.cssSelector("vaadin-grid-cell-content")).stream()
                .filter(c -> c.getText().equals("Book Hotel")).findFirst().orElse(null));
        System.out.printf("Live Stream row visible %d ms after the 202%n", (System.nanoTime() - acknowledged) / 1_000_000);
        cell.click();
        waitForText("Le Grand Paris");
        waitForText("Resume");
        button("vaadin-vertical-layout", "View raw JSON").click();
        waitFor("vaadin-dialog-overlay pre");
        assertThat(driver.findElement(By.cssSelector("vaadin-dialog-overlay pre")).getText())
                .contains("\"event_name\" : \"Book Hotel\"");
    }
}
