package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * "What changes?" in Chromium: editing the destination of an active audience's criterion shows, before saving, how
 * many of its members would leave and how many users would join, and who.
 */
class EditPreviewBrowserTest extends BrowserTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AudienceService audiences;
    @Autowired
    CalculationEngine engine;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    Clock clock;

    static Definition watched(String destination) {
        return Definition.of(EventCriterion.event("Play Video",
                Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, destination)));
    }

    @Test
    void editing_a_criterion_of_an_active_audience_shows_who_would_leave_and_join_before_saving() throws Exception {
        IngestFixture fixture = fixtures.create();
        // 60 travellers who watched videos of one or two of three cities
        Random random = new Random(16);
        List<String> cities = List.of("Paris", "Rome", "Cannes");
        List<String> batches = new ArrayList<>();
        long leaving = 0;
        long joining = 0;
        for (int i = 0; i < 60; i++) {
            Set<String> watched = new java.util.TreeSet<>();
            for (int v = 1 + random.nextInt(2); v > 0; v--) {
                watched.add(cities.get(random.nextInt(cities.size())));
            }
            leaving += watched.contains("Paris") && !watched.contains("Rome") ? 1 : 0;
            joining += watched.contains("Rome") && !watched.contains("Paris") ? 1 : 0;
            batches.add("""
                    {"user_identities":{"customer_id":"traveller-%d","email":"traveller-%d@example.com"},
                     "events":[%s]}""".formatted(i, i, String.join(",", watched.stream().map(city -> """
                    {"event_type":"custom_event","data":{"event_name":"Play Video",
                     "custom_attributes":{"destination":"%s"}}}""".formatted(city)).toList())));
        }
        ingestion.ingest(fixture.input, parser.parseBulk(("[" + String.join(",", batches) + "]")
                .getBytes(StandardCharsets.UTF_8), "web", clock.instant()));
        Audience paris = RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> {
            workspaces.switchTo(fixture.workspace.id());
            return audiences.activateAudience(audiences.createAudience(fixture.workspace.id(), "Paris viewers",
                    null, watched("Paris")).id());
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (engine.progress(paris.id()).calculating() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.progress(paris.id()).calculating()).isFalse();

        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("audiences/" + paris.id());
        waitForText("Play Video · destination Exact Match Paris");
        assertThat(driver.findElements(By.cssSelector(".edit-preview"))).as("no edits yet")
                .noneMatch(WebElement::isDisplayed);

        wait.until(d -> d.findElement(By.cssSelector("vaadin-button[aria-label='Edit criterion 1']"))).click();
        WebElement value = wait.until(d -> d.findElements(By.xpath(
                        "//vaadin-text-field[./label[normalize-space()='Value']]//input")).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null));
        assertThat(value.getAttribute("value")).isEqualTo("Paris");
        value.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Rome", Keys.TAB);
        button("", "Done").click();
        waitForText("Play Video · destination Exact Match Rome");

        String expected = (leaving == 0 ? "No current member" : leaving + " current member" + (leaving == 1 ? ""
                : "s")) + " would leave and " + (joining == 0 ? "no user" : joining + " user" + (joining == 1 ? ""
                : "s")) + " would join.";
        long shown = System.nanoTime();
        WebElement summary = wait.until(d -> {
            WebElement found = d.findElement(By.cssSelector(".edit-preview-summary"));
            return found.getText().equals(expected) ? found : null;
        });
        System.out.printf("What changes? answered %d ms after Done%n", (System.nanoTime() - shown) / 1_000_000);
        assertThat(summary.isDisplayed()).isTrue();
        assertThat(leaving).as("the data has both leavers and joiners").isPositive();
        assertThat(joining).isPositive();
        String panel = driver.findElement(By.cssSelector(".edit-preview")).getText();
        assertThat(panel).contains("What changes?", "Exact: compared on all 60 profiles.",
                "Fails criterion 1 · Play Video · destination Exact Match Rome · > 0 in the last 30 days",
                "Failed saved criterion 1 · Play Video · destination Exact Match Paris", "customer_id: traveller-");
        assertThat(driver.findElements(By.cssSelector(".edit-preview-leaving li"))).hasSize((int) Math.min(20,
                leaving));
        assertThat(driver.findElements(By.cssSelector(".edit-preview-joining li"))).hasSize((int) Math.min(20,
                joining));
        assertThat(RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> audiences.audience(paris.id()))
                .definition()).as("nothing saved").isEqualTo(watched("Paris"));

        // the development-mode notice would cover the panel's corner
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "document.querySelectorAll('body > *').forEach(e => { const tag = e.tagName.toLowerCase();"
                        + " if (tag.startsWith('copilot') || tag.startsWith('vaadin-dev')) e.remove(); })");
        screenshot("edit-preview");
        // the joiners, scrolled to inside the panel's list
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("const lists = arguments[0];"
                + " lists.scrollTop = lists.querySelector('.edit-preview-joining').offsetTop - lists.offsetTop;",
                driver.findElement(By.cssSelector(".edit-preview-lists")));
        screenshot("edit-preview-joining");
    }

    private void screenshot(String name) throws Exception {
        Path screenshot = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
