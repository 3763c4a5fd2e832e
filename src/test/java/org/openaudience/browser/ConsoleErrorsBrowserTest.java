package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An Admin walks the main pages in Chromium and the browser console reports no error on any of them: no failed
 * request (the favicon included), no script error.
 */
class ConsoleErrorsBrowserTest extends BrowserTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AudienceService audiences;

    private final List<String> errors = new ArrayList<>();

    /** Opens the page in a fresh load, waits for a text it shows once rendered and for Vaadin to be idle. */
    private void visit(String path, String shows) {
        open(path);
        waitForText(shows);
        settle();
        collect(path);
    }

    private void settle() {
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return !!window.Vaadin && !!window.Vaadin.Flow && !Object.values(window.Vaadin.Flow.clients)"
                        + ".some(client => client.isActive && client.isActive())")));
        try {
            Thread.sleep(300); // late requests such as the favicon
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect(String page) {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER).getAll()) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(page + ": " + entry.getMessage());
            }
        }
    }

    @Test
    void an_admin_walks_the_main_pages_without_a_browser_console_error() throws Exception {
        IngestFixture fixture = fixtures.create();
        RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> workspaces.switchTo(fixture.workspace.id()));
        assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), """
                {"environment":"development","user_identities":{"customer_id":"console-1"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Play Video"}}]}""")).isEqualTo(202);
        Audience audience = RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> audiences.createAudience(
                fixture.workspace.id(), "Console check", null, Definition.of(EventCriterion.event("Play Video"))));

        open("login");
        waitFor("vaadin-login-form");
        settle();
        collect("login");
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        waitForText("Welcome, Administrator");
        settle();
        collect("home");

        visit("audiences", "Console check");
        visit("audiences/" + audience.id(), "Play Video");
        for (String tab : List.of("A/B Test", "Connect", "Details", "Build")) {
            wait.until(d -> d.findElements(By.cssSelector("vaadin-tab")).stream()
                    .filter(t -> t.getText().trim().equals(tab)).findFirst().orElse(null)).click();
            settle();
            collect("audience tab " + tab);
        }
        visit("data/live-stream", "Live ·");
        visit("data/catalog", "Catalog");
        visit("users/lookup", "Lookup");
        visit("setup/inputs", "Event sources of " + fixture.workspace.name());
        visit("setup/outputs", "Outputs");
        visit("settings/team", "Add member");
        visit("settings/workspaces", "New workspace"); // not a name: earlier tests leave more workspaces than one page shows
        visit("settings/audit-log", "Audit log");

        assertThat(errors).as("errors in the browser console").isEmpty();

        // the check sees an error when there is one
        ((JavascriptExecutor) driver).executeScript("console.error('console check')");
        collect("check");
        assertThat(errors).anyMatch(error -> error.contains("console check"));
    }
}
