package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audience page in Chromium at 1280 × 800: the header follows a recalculation as it runs (percentage moving,
 * then the new size) without a reload, its buttons on one row; leaving with unsaved edits through the menu asks
 * in the page, and reloading gets the browser's own question.
 */
class AudiencePageBrowserTest extends BrowserTest {

    static final String NAME = "Paris premium viewers who watched the destination intro";
    static final int USERS = 40;

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    AudienceService audiences;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private final List<Connection> locks = new ArrayList<>();
    private IngestFixture fixture;

    @Override
    void moreOptions(ChromeOptions options) {
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        logging.enable(LogType.PERFORMANCE, Level.ALL); // DevTools events: the browser's "Leave site?" question
        options.setCapability("goog:loggingPrefs", logging);
    }

    @AfterEach
    void releaseLocks() throws Exception {
        for (Connection lock : locks) {
            lock.rollback();
            lock.close();
        }
    }

    /** Demo-like traffic through the Events API: every user played a destination video; half are premium. */
    private void travellers() throws Exception {
        fixture = fixtures.create();
        RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> workspaces.switchTo(fixture.workspace.id()));
        for (int i = 0; i < USERS; i++) {
            assertThat(sendEvents(fixture.credentials.apiKey(), fixture.credentials.secret(), """
                    {"environment":"production","user_identities":{"customer_id":"traveller-%d"},
                     "user_attributes":{"status":"%s"},
                     "events":[{"event_type":"custom_event","data":{"event_name":"Play Video",
                       "custom_attributes":{"category":"Destination Intro","destination":"%s"}}}]}"""
                    .formatted(i, i % 2 == 0 ? "premium" : "free", i % 4 == 0 ? "Rome" : "Paris")))
                    .isEqualTo(202);
        }
    }

    private Audience audience(boolean activate) {
        Definition definition = new Definition(Group.of(EventCriterion.event("Play Video",
                        Condition.of("category", DataType.STRING, Operator.EXACT_MATCH, "Destination Intro")))
                .then(Connector.AND, UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH,
                        "premium")), null);
        return RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> {
            Audience created = audiences.createAudience(fixture.workspace.id(), NAME, null, definition);
            return activate ? audiences.activateAudience(created.id()) : created;
        });
    }

    private void awaitCalculated(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN,
                () -> audiences.progress(audienceId)).calculating()) {
            Thread.sleep(100);
        }
    }

    /**
     * Holds, from another database session, an uncommitted membership row of the coming generation: the calculation
     * step that writes that member waits for it, so the page can be seen mid-calculation. (Calculations read events
     * and profiles without locks, so holding a profile no longer stops them.)
     */
    private Connection holdMember(long audienceId, int generation, long mpid) throws Exception {
        Connection connection = DriverManager.getConnection(System.getProperty("DB_URL"),
                System.getenv().getOrDefault("DB_USER", "root"), System.getenv().getOrDefault("DB_PASSWORD", ""));
        connection.setAutoCommit(false);
        try (PreparedStatement checks = connection.prepareStatement("SET SESSION foreign_key_checks = 0");
             PreparedStatement hold = connection.prepareStatement(
                     "INSERT INTO audience_member (audience_id, generation, mpid) VALUES (?, ?, ?)")) {
            // no reference check: it would share-lock the audience row that every calculation step locks first
            checks.execute();
            hold.setLong(1, audienceId);
            hold.setInt(2, generation);
            hold.setLong(3, mpid);
            hold.executeUpdate();
        }
        locks.add(connection);
        return connection;
    }

    private void release(Connection lock) throws Exception {
        lock.rollback();
        lock.close();
        locks.remove(lock);
    }

    /** The element's text; the header replaces its parts as progress is pushed, so a replaced one is read again. */
    private String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<WebElement> found = driver.findElements(By.cssSelector(css));
                return found.isEmpty() ? "" : found.get(0).getText().trim();
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                if (attempt == 5) {
                    throw replaced;
                }
            }
        }
    }

    private int percent() {
        Matcher matcher = Pattern.compile("(\\d+)%").matcher(text(".calculation-percent"));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** The header's percentage once it stopped moving for three seconds (a held bucket), from 1 to 99. */
    private int stablePercent() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = percent();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - since > Duration.ofSeconds(3).toNanos()) {
                return now;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The header's percentage did not settle; last " + last);
    }

    private void screenshot(String name) throws Exception {
        Path file = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private WebElement criterionButton(String ariaLabel) {
        return wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(
                "vaadin-button[aria-label='" + ariaLabel + "']")));
    }

    private void clickMenu(String item) {
        wait.until(d -> d.findElements(By.cssSelector("vaadin-side-nav-item")).stream()
                .filter(candidate -> candidate.getText().trim().equals(item) && candidate.isDisplayed())
                .findFirst().orElse(null)).click();
    }

    @Test
    void the_header_follows_a_recalculation_as_it_runs_and_its_buttons_stay_on_one_row() throws Exception {
        travellers();
        Audience audience = audience(true);
        awaitCalculated(audience.id());
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("audiences/" + audience.id());
        wait.until(d -> text(".audience-calculated-size").equals("20 members"));
        assertThat(text(".calculated-at")).matches("calculated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");
        String calculatedBefore = text(".calculated-at");

        List<WebElement> buttons = driver.findElements(By.cssSelector(".audience-actions vaadin-button")).stream()
                .filter(WebElement::isDisplayed).toList();
        assertThat(buttons).extracting(WebElement::getText)
                .containsExactly("Download members", "Save and recalculate");
        assertThat(buttons.stream().map(button -> button.getRect().getY()).distinct()).as("one row").hasSize(1);

        // two travellers a third and two thirds into the MPID span are held, so the run stops twice on its way
        List<Long> mpids = new ArrayList<>(new TreeSet<>(jdbc.sql("SELECT mpid FROM profile WHERE workspace_id = ?")
                .param(fixture.workspace.id()).query(Long.class).list()));
        int next = jdbc.sql("SELECT MAX(generation) + 1 FROM calculation_run WHERE audience_id = ?")
                .param(audience.id()).query(Integer.class).single();
        Connection first = holdMember(audience.id(), next, mpids.get(USERS / 3));
        Connection second = holdMember(audience.id(), next, mpids.get(2 * USERS / 3));

        criterionButton("Delete criterion 2").click(); // everyone who played the intro, premium or not
        wait.until(d -> text(".total-estimate").startsWith("≈ 40 users if saved"));
        screenshot("audience-page-unsaved-edit");
        button("", "Save and recalculate").click();
        button("vaadin-confirm-dialog-overlay", "Save and recalculate").click();

        int stoppedAt = stablePercent();
        assertThat(stoppedAt).isBetween(1, 99);
        assertThat(text(".calculation-percent")).isEqualTo("Recalculating — " + stoppedAt + "%");
        assertThat(text(".audience-calculated-size")).as("the complete size stays until the new one is")
                .isEqualTo("20 members");
        assertThat(text(".calculated-at")).isEqualTo(calculatedBefore);
        assertThat(driver.findElement(By.cssSelector(".calculation-progress .progress-pie")).getAttribute("title"))
                .isEqualTo("Calculating — " + stoppedAt + "%");
        screenshot("audience-page-mid-recalculation");

        release(first);
        int later = stablePercent();
        assertThat(later).isGreaterThan(stoppedAt);
        System.out.printf("Recalculation seen at %d%%, then %d%%%n", stoppedAt, later);
        release(second);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> text(".audience-calculated-size")
                .equals("40 members"));
        assertThat(text(".calculation-progress")).isEmpty();
        assertThat(text(".total-estimate")).as("no unsaved edits left").isEmpty();
        screenshot("audience-page-recalculated");
    }

    @Test
    void leaving_with_unsaved_edits_through_the_menu_or_by_reloading_asks_first() throws Exception {
        travellers();
        Audience audience = audience(false);
        login(TestMembers.ADMIN_EMAIL, TestMembers.ADMIN_PASSWORD);
        open("audiences");
        wait.until(d -> d.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .filter(cell -> cell.getText().equals(NAME)).findFirst().orElse(null)).click();
        waitForText("User attribute status Exact Match premium");
        List<WebElement> buttons = driver.findElements(By.cssSelector(".audience-actions vaadin-button")).stream()
                .filter(WebElement::isDisplayed).toList();
        assertThat(buttons).extracting(WebElement::getText)
                .containsExactly("Download members", "Save as Draft", "Activate");
        assertThat(buttons.stream().map(button -> button.getRect().getY()).distinct()).as("one row").hasSize(1);

        criterionButton("Delete criterion 2").click();
        wait.until(d -> !d.findElement(By.tagName("body")).getText()
                .contains("User attribute status Exact Match premium"));
        driver.navigate().back(); // to the list
        waitForText("Leave without saving your edits to " + NAME + "?");
        button("vaadin-confirm-dialog-overlay", "Stay").click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("vaadin-confirm-dialog-overlay")));
        wait.until(d -> d.getCurrentUrl().endsWith("/audiences/" + audience.id()));

        clickMenu("Audiences");
        waitForText("Leave without saving your edits to " + NAME + "?");
        screenshot("audience-page-leave-dialog");
        button("vaadin-confirm-dialog-overlay", "Stay").click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("vaadin-confirm-dialog-overlay")));
        assertThat(driver.getCurrentUrl()).endsWith("/audiences/" + audience.id());
        assertThat(driver.findElements(By.cssSelector("vaadin-button[aria-label='Delete criterion 2']")))
                .as("the edit is still there").isEmpty();

        // reloading (or closing the tab) can only get the browser's own question. The page's listener cancels the
        // unload while edits are unsaved, which makes Chromium ask "Leave site?"; WebDriver answers Leave itself
        // (Chromium 137 and later), so the test sees the question in the DevTools log and the edit gone after it
        assertThat(unloadCancelled()).as("the page asks before the browser leaves").isTrue();
        driver.manage().logs().get(LogType.PERFORMANCE).getAll(); // only what comes next
        driver.navigate().refresh();
        waitForText("User attribute status Exact Match premium");
        assertThat(leaveSiteQuestions()).as("Chromium asked before reloading").isEqualTo(1);
        assertThat(unloadCancelled()).as("a fresh page has nothing unsaved").isFalse();

        criterionButton("Delete criterion 2").click();
        wait.until(d -> !d.findElement(By.tagName("body")).getText()
                .contains("User attribute status Exact Match premium"));
        clickMenu("Audiences");
        button("vaadin-confirm-dialog-overlay", "Save as draft").click();
        wait.until(d -> d.getCurrentUrl().endsWith("/audiences"));
        assertThat(RunAs.member(TestMembers.ADMIN_EMAIL, Role.ADMIN, () -> audiences.audience(audience.id()))
                .definition().root().items()).hasSize(1);

        // nothing unsaved: the page reloads without a question
        open("audiences/" + audience.id());
        waitForText("Play Video · category Exact Match Destination Intro");
        assertThat(unloadCancelled()).isFalse();
        driver.manage().logs().get(LogType.PERFORMANCE).getAll();
        driver.navigate().refresh();
        waitForText("Play Video · category Exact Match Destination Intro");
        assertThat(leaveSiteQuestions()).isZero();
    }

    /** Whether the page cancels a {@code beforeunload} event, which makes a browser ask before leaving. */
    private boolean unloadCancelled() {
        return Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript("""
                const unload = new Event('beforeunload', {cancelable: true});
                window.dispatchEvent(unload);
                return unload.defaultPrevented;"""));
    }

    /** "Leave site?" questions Chromium opened since the performance log was last read. */
    private long leaveSiteQuestions() {
        return driver.manage().logs().get(LogType.PERFORMANCE).getAll().stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Page.javascriptDialogOpening")
                        && message.contains("\"type\":\"beforeunload\""))
                .count();
    }
}
