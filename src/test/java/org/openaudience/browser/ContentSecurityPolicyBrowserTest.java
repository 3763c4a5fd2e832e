package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Window;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every page renders and works under the app's Content-Security-Policy: Chromium reports no violation in the console
 * while an Admin goes through them (and does report one for something the policy forbids, so the check can see).
 */
class ContentSecurityPolicyBrowserTest extends BrowserTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AudienceService audiences;

    private final List<String> violations = new ArrayList<>();

    /** Opens the page in a fresh load and waits for a text it shows once Vaadin rendered it. */
    private void visit(String path, String shows) {
        open(path);
        waitForText(shows);
        violations.addAll(contentSecurityPolicyViolations());
    }

    @Test
    void every_page_renders_and_works_without_content_security_policy_violations() throws Exception {
        IngestFixture fixture = fixtures.create();
        RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> workspaces.switchTo(fixture.workspace.id()));
        Audience audience = RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> audiences.createAudience(
                fixture.workspace.id(), "Policy check", null, Definition.of(new EventCriterion(EventKind.EVENT,
                        "Play Video", null, List.of(), null, new Window.LastDays(7)))));

        open("login");
        waitFor("vaadin-login-form");
        violations.addAll(contentSecurityPolicyViolations());
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        waitForText("Welcome, Administrator");
        violations.addAll(contentSecurityPolicyViolations());

        visit("audiences", "Policy check");
        visit("audiences/" + audience.id(), "Play Video");
        for (String tab : List.of("A/B Test", "Connect", "Details", "Build")) {
            wait.until(d -> d.findElements(By.cssSelector("vaadin-tab")).stream()
                    .filter(t -> t.getText().trim().equals(tab)).findFirst().orElse(null)).click();
        }
        visit("data/catalog", "Catalog");
        visit("users/lookup", "Lookup");
        visit("setup/inputs", "Event sources of " + fixture.workspace.name());
        visit("setup/outputs", "Outputs");
        visit("settings/team", "Add member");
        visit("settings/workspaces", "New workspace"); // not a name: earlier tests leave more workspaces than one page shows
        visit("settings/audit-log", "Audit log");

        visit("data/live-stream", "Live ·");
        assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), """
                {"environment":"development","user_identities":{"customer_id":"csp-1"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Policy Event"}}]}""")).isEqualTo(202);
        WebElement row = wait.until(d -> d.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .filter(c -> c.getText().equals("Policy Event")).findFirst().orElse(null));
        row.click();
        button("vaadin-vertical-layout", "View raw JSON").click();
        waitFor("vaadin-dialog-overlay pre");
        violations.addAll(contentSecurityPolicyViolations());

        assertThat(violations).as("Content-Security-Policy violations in the console").isEmpty();

        // the check sees a violation when there is one: an image from another site is refused before any request
        ((JavascriptExecutor) driver).executeScript("const image = document.createElement('img');"
                + "image.src = 'https://csp-check.invalid/pixel.png'; document.body.appendChild(image);");
        wait.until(d -> !contentSecurityPolicyViolations().isEmpty());
    }
}
