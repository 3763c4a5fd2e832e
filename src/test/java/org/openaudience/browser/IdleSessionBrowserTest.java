package org.openaudience.browser;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.TestMembers;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * An open tab whose member does nothing is signed out after the idle timeout (the shortest Tomcat has, a minute,
 * with a heartbeat every 5 s so the page learns it soon after) and shows why on the login page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"openaudience.security.session-timeout=1m", "vaadin.heartbeatInterval=5"})
class IdleSessionBrowserTest extends BrowserTest {

    @Test
    void an_idle_open_tab_is_signed_out_and_the_login_page_says_why() {
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        waitForText("Welcome, Administrator");
        long start = System.nanoTime();

        new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> d.getCurrentUrl().contains("/login?expired"));
        waitForText("You were signed out after 1 minute without activity.");
        System.out.printf("Signed out %d s after the last activity%n", (System.nanoTime() - start) / 1_000_000_000);
        open("settings/team");
        waitFor("vaadin-login-form");
    }
}
