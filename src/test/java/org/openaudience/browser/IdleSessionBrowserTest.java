package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.TestMembers;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * An open tab whose member does nothing is signed out after the idle timeout (10 s here, with a heartbeat every 2 s
 * so the page learns it soon after) and shows why on the login page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"openaudience.security.session-timeout=10s", "vaadin.heartbeatInterval=2"})
class IdleSessionBrowserTest extends BrowserTest {

    @Test
    void an_idle_open_tab_is_signed_out_and_the_login_page_says_why() {
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        waitForText("Welcome, Administrator");
        long start = System.nanoTime();

        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().contains("/login?expired"));
        long idleSeconds = (System.nanoTime() - start) / 1_000_000_000;
        waitForText("You were signed out after 10 seconds without activity.");
        System.out.printf("Signed out %d s after the last activity%n", idleSeconds);
        assertThat(idleSeconds).as("not before the timeout, nor long after it").isBetween(9L, 30L);
        open("settings/team");
        waitFor("vaadin-login-form");
    }
}
