package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/** The foundation as a person clicks through it in Chromium. */
class FoundationBrowserTest extends BrowserTest {

    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;

    @Test
    void an_admin_switches_workspace_and_adds_an_input_whose_secret_is_shown_once() {
        TestMembers members = new TestMembers(team, workspaces);
        members.workspace("Browser A");
        Workspace target = members.workspace("Browser B");

        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        waitForText("Welcome, Administrator");

        WebElement switcher = waitFor("#workspace-switcher input");
        switcher.sendKeys(Keys.chord(Keys.CONTROL, "a"), target.name());
        waitFor("vaadin-combo-box-item");
        switcher.sendKeys(Keys.ENTER);
        waitForText("You are working in " + target.name());

        driver.findElement(By.cssSelector("vaadin-side-nav-item[path='setup/inputs']")).click();
        waitForText("Event sources of " + target.name());
        button("vaadin-vertical-layout", "Add input").click();
        waitFor("#input-name input").sendKeys("Browser web");
        driver.findElement(By.cssSelector("#input-platform")).click();
        wait.until(d -> d.findElements(By.cssSelector("vaadin-select-item")).stream()
                .filter(item -> item.getText().trim().equals("Web")).findFirst().orElse(null)).click();
        driver.findElement(By.cssSelector("#add-input-confirm")).click();

        String key = waitFor("#credentials-key input").getAttribute("value");
        String secret = driver.findElement(By.cssSelector("#credentials-secret input")).getAttribute("value");
        assertThat(key).startsWith("oa-");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        driver.findElement(By.cssSelector("#credentials-done")).click();
        waitForText(key);

        driver.navigate().refresh();
        waitForText(key);
        assertThat(driver.getPageSource()).doesNotContain(secret);

        waitFor("#member-menu vaadin-menu-bar-button").click();
        wait.until(d -> d.findElements(By.cssSelector("vaadin-menu-bar-item")).stream()
                .filter(item -> item.getText().trim().equals("Log out")).findFirst().orElse(null)).click();
        waitFor("vaadin-login-form");
        open("setup/inputs");
        waitFor("vaadin-login-form");
    }

    @Test
    void a_read_only_member_finds_team_absent_and_refused_by_url() {
        TestMembers members = new TestMembers(team, workspaces);
        Member readOnly = members.member(Role.READ_ONLY);

        login(readOnly.getEmail(), TestMembers.PASSWORD);
        waitForText("Read Only");
        // the pages (items with a path; group items like "Data" hold them)
        assertThat(driver.findElements(By.cssSelector("vaadin-side-nav-item[path]")))
                .extracting(WebElement::getText).containsExactly("Home", "Audiences", "Live Stream", "Catalog");

        open("settings/team");
        waitForText("Access denied");
        assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("Add member");
    }
}
