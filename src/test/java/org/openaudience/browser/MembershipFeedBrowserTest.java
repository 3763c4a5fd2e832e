package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audience's Changes tab in Chromium: an event sent through the Events API makes a user enter a real-time
 * audience, and the row is pushed to the open tab within seconds.
 */
class MembershipFeedBrowserTest extends BrowserTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AudienceService audiences;
    @Autowired
    CalculationEngine engine;

    static String booking(String customer) {
        return """
                {"environment":"development","user_identities":{"customer_id":"%s","email":"%s@example.com"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Book Hotel",
                   "custom_event_type":"transaction","custom_attributes":{"hotel":"Le Grand Paris"}}}]}"""
                .formatted(customer, customer);
    }

    @Test
    void a_user_entering_through_the_events_api_appears_in_the_open_changes_tab() throws Exception {
        IngestFixture fixture = fixtures.create();
        EventsApiClient api = new EventsApiClient(port, fixture.credentials);
        assertThat(api.post("/v2/events", booking("feed-1")).status()).isEqualTo(202);
        Audience bookers = RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> {
            workspaces.switchTo(fixture.workspace.id());
            return audiences.activateAudience(audiences.createAudience(fixture.workspace.id(), "Hotel bookers",
                    null, Definition.of(EventCriterion.event("Book Hotel"))).id());
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((engine.progress(bookers.id()).calculating() || engine.progress(bookers.id()).size() < 1)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.progress(bookers.id()).size()).isEqualTo(1);

        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("audiences/" + bookers.id());
        wait.until(d -> d.findElements(By.cssSelector("vaadin-tab")).stream()
                .filter(tab -> tab.getText().trim().equals("Changes")).findFirst().orElse(null)).click();
        // feed-1 joined with the first calculation: counted in the chart, not listed
        waitForText("Live · no changes yet");
        waitForText("This hour so far: 1 add and 0 drops.");

        assertThat(api.post("/v2/events", booking("feed-2")).status()).isEqualTo(202);
        long acknowledged = System.nanoTime();
        WebElement cell = new WebDriverWait(driver, Duration.ofSeconds(5)).pollingEvery(Duration.ofMillis(50))
                .until(d -> d.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                        .filter(c -> c.getText().startsWith("customer_id: feed-2")).findFirst().orElse(null));
        System.out.printf("Changes tab row visible %d ms after the Events API's 202%n",
                (System.nanoTime() - acknowledged) / 1_000_000);
        assertThat(cell.getText()).isEqualTo("customer_id: feed-2 · email: feed-2@example.com");
        waitForText("Live · 1 change shown");
        waitForText("This hour so far: 2 adds and 0 drops.");
        assertThat(driver.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .map(WebElement::getText)).contains("Added · real time").doesNotContain("Added · calculation");
        WebElement chart = driver.findElement(By.cssSelector(".changes-chart-drawing svg"));
        assertThat(chart.getAttribute("role")).isEqualTo("img");
        assertThat(chart.findElements(By.cssSelector("rect.chart-add"))).hasSize(1);

        // a taller window, so the picture shows the list and the chart below it
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        waitForText("This hour so far");
        // the development-mode notice would cover the chart's newest hours
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "document.querySelectorAll('body > *').forEach(e => { const tag = e.tagName.toLowerCase();"
                        + " if (tag.startsWith('copilot') || tag.startsWith('vaadin-dev')) e.remove(); })");
        Path screenshot = Path.of("target", "screenshots", "membership-feed.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
