package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.CalculationRun;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationTrigger;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Details tab in Chromium: a version's changes open inline under its row, and restoring an earlier version of
 * an active audience asks before recalculating, then the runs list shows the edit it started.
 */
class DefinitionHistoryBrowserTest extends BrowserTest {

    static final Definition PLAYED = Definition.of(EventCriterion.event("Play Video"));
    static final Definition PLAYED_PARIS = Definition.of(EventCriterion.event("Play Video",
            Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH, "Paris")));

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AudienceService audiences;
    @Autowired
    AudienceHistory history;
    @Autowired
    CalculationEngine engine;

    <T> T asAdmin(java.util.function.Supplier<T> work) {
        return RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, work);
    }

    void awaitCalculated(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (engine.progress(audienceId).calculating() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void a_version_opens_its_changes_inline_and_restoring_it_recalculates_after_asking() throws Exception {
        IngestFixture fixture = fixtures.create();
        EventsApiClient api = new EventsApiClient(port, fixture.credentials);
        for (String destination : List.of("Paris", "Rome", "Rome")) {
            assertThat(api.post("/v2/events", """
                    {"user_identities":{"customer_id":"history-%s"},"events":[{"event_type":"custom_event",
                     "data":{"event_name":"Play Video","custom_attributes":{"destination":"%s"}}}]}"""
                    .formatted(TestMembers.unique(), destination)).status()).isEqualTo(202);
        }
        assertThat(fixture.count("profile")).isEqualTo(3);
        Audience audience = asAdmin(() -> {
            workspaces.switchTo(fixture.workspace.id());
            Audience created = audiences.createAudience(fixture.workspace.id(), "Paris viewers", null, PLAYED);
            audiences.updateDefinition(created.id(), PLAYED_PARIS);
            return audiences.activateAudience(created.id());
        });
        awaitCalculated(audience.id());
        assertThat(engine.progress(audience.id()).size()).isEqualTo(1);

        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("audiences/" + audience.id());
        wait.until(d -> d.findElements(By.cssSelector("vaadin-tab")).stream()
                .filter(tab -> tab.getText().trim().equals("Details")).findFirst().orElse(null)).click();
        // the development-mode notice would cover buttons at the bottom right
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "document.querySelectorAll('body > *').forEach(e => { const tag = e.tagName.toLowerCase();"
                        + " if (tag.startsWith('copilot') || tag.startsWith('vaadin-dev')) e.remove(); })");
        click(changesOf(2));
        waitForText("1 change against version 1:");
        waitForText("− \"Play Video · > 0 in the last 30 days\"");
        waitForText("+ \"Play Video · destination Exact Match Paris · > 0 in the last 30 days\"");
        waitForText("This is the current definition.");

        click(changesOf(1));
        click(button("vaadin-grid", "Restore version 1"));
        WebElement ask = waitFor("vaadin-confirm-dialog-overlay");
        assertThat(ask.getText()).contains("Recalculate Paris viewers?", "Version 1's criteria and inputs are "
                + "saved as version 3");
        button("vaadin-confirm-dialog-overlay", "Save and recalculate").click();
        waitForText("Restored version 1 of Paris viewers as version 3; recalculating");

        awaitCalculated(audience.id());
        assertThat(engine.progress(audience.id()).size()).isEqualTo(3);
        CalculationRun newest = asAdmin(() -> history.runs(audience.id())).get(0);
        assertThat(newest.trigger()).isEqualTo(CalculationTrigger.EDIT);
        assertThat(newest.definitionVersion()).isEqualTo(3);
        assertThat(newest.sizeAtCompletion()).isEqualTo(3);
        // the runs list is read again when the tab is opened again
        wait.until(d -> d.findElements(By.cssSelector("vaadin-tab")).stream()
                .filter(tab -> tab.getText().trim().equals("Build")).findFirst().orElse(null)).click();
        wait.until(d -> d.findElements(By.cssSelector("vaadin-tab")).stream()
                .filter(tab -> tab.getText().trim().equals("Details")).findFirst().orElse(null)).click();
        wait.until(d -> d.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .anyMatch(cell -> cell.getText().equals("Edit")));
        click(changesOf(3));
        waitForText("1 change against version 2:");
        // the picture taken after the test shows the runs: the restore's edit above the activation
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: "
                + "'end'})", driver.findElements(By.cssSelector("vaadin-grid")).get(1));
    }

    /** Scrolled to the middle of its scrolling tab first: the history is below the fold at 1280×800. */
    private void click(WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private WebElement changesOf(int version) {
        return wait.until(d -> d.findElements(By.cssSelector("vaadin-grid vaadin-button")).stream()
                .filter(b -> ("Changes of version " + version).equals(b.getAttribute("aria-label"))
                        && b.isDisplayed())
                .findFirst().orElse(null));
    }
}
