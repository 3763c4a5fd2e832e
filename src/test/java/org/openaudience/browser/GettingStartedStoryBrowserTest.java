package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.TestDatabase;
import org.openaudience.testsupport.WebhookReceiver;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The getting-started story of PRODUCT.md on the demo data of a fresh install: set up a webhook output, build "Paris
 * premium viewers" in the criteria editor, activate it and split it in an A/B test, connect its Control to the
 * webhook (a real local receiver), watch it calculate, download its members, ask why one of them is in, and see a
 * remove arrive when a Control member stops qualifying.
 */
@ActiveProfiles({"demo", "test"})
class GettingStartedStoryBrowserTest extends BrowserTest {

    static final String AUDIENCE = "Paris premium viewers";
    static final String SECRET = "story-receiver-secret-42";

    @DynamicPropertySource
    static void freshInstall(DynamicPropertyRegistry registry) {
        // the demo sets itself up on an empty database only
        String url = TestDatabase.freshDatabase("story");
        registry.add("spring.datasource.url", () -> url);
        registry.add("openaudience.demo.users", () -> "800");
        registry.add("openaudience.demo.trickle", () -> "false");
        registry.add("openaudience.delivery.poll-interval-ms", () -> "200");
    }

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.openaudience.abtest.AbTestService abTests;
    @Autowired
    org.openaudience.calculation.CalculationEngine engine;
    WebhookReceiver receiver = new WebhookReceiver(0);

    @org.junit.jupiter.api.AfterEach
    void closeReceiver() {
        receiver.close();
    }
    @org.springframework.beans.factory.annotation.Value("${openaudience.admin.email}")
    String adminEmail;
    @org.springframework.beans.factory.annotation.Value("${openaudience.admin.password}")
    String adminPassword;

    @Test
    void a_marketer_builds_splits_connects_downloads_and_explains_paris_premium_viewers() throws Exception {
        awaitDemoAudiences();
        login(adminEmail, adminPassword); // the demo's documented login
        addWebhookOutput();

        open("audiences");
        waitForText("Paris video viewers");
        button("", "New Audience").click();
        type(nth(field("vaadin-text-field", "Audience Name"), 0), AUDIENCE);
        button("vaadin-dialog-overlay", "Create").click();
        waitFor("vaadin-tabsheet");

        addCriteria("Events");
        choose(field("vaadin-combo-box", "Event name"), 0, "Play Video");
        button("", "Add attribute condition").click();
        choose(field("vaadin-combo-box", "Attribute"), 0, "category");
        type(nth(field("vaadin-text-field", "Value"), 0), "Destination Intro");
        button("", "Add attribute condition").click();
        choose(field("vaadin-combo-box", "Attribute"), 1, "destination");
        type(nth(field("vaadin-text-field", "Value"), 1), "Paris");
        button("", "Done").click();
        waitForText("Play Video · category Exact Match Destination Intro · destination Exact Match Paris");

        addCriteria("Users");
        choose(field("vaadin-combo-box", "User attribute"), 0, "status");
        type(nth(field("vaadin-text-field", "Value"), 0), "premium");
        button("", "Done").click();
        waitForText("User attribute status Exact Match premium");
        wait.until(d -> d.findElement(By.cssSelector(".total-estimate")).getText()
                .matches("≈ [0-9,]+ users? if saved .*"));
        screenshot("audience-builder");

        button("", "Activate").click();
        waitForText("Set up an A/B test?");
        button("", "Yes").click();
        splitInHalf();
        connectControl();

        open("audiences");
        waitForText("Adds / Drops (24 h)");
        long size = awaitCalculated();
        screenshot("audience-list");
        assertThat(size).isPositive();
        Set<Long> control = awaitControlDelivered();
        assertThat(control).isNotEmpty();

        long qualifying = qualifyingUser();
        openAudience();
        button("", "Download members").click();
        button("vaadin-dialog-overlay", "Prepare download").click();
        WebElement link = new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions
                .visibilityOfElementLocated(By.xpath("//a[normalize-space()='Download ZIP']")));
        String csv = membersCsv(link.getAttribute("href"));
        assertThat(csv.lines().findFirst()).hasValue("mpid,scanned_timestamp_ms,identity_value,identity_type");
        List<String> mpids = csv.lines().filter(line -> !line.startsWith("mpid,"))
                .map(line -> line.split(",")[0]).toList();
        assertThat(mpids).contains(Long.toString(qualifying));
        assertThat(mpids.stream().distinct().count()).as("one or more rows per member").isEqualTo(size);

        open("users/lookup?mpid=" + qualifying);
        choose(field("vaadin-combo-box", "Audience"), 0, AUDIENCE);
        wait.until(d -> d.findElements(By.cssSelector("li.criterion-pass")).size() == 2);
        assertThat(driver.findElements(By.cssSelector("li.criterion-fail"))).isEmpty();
        waitForText("In " + AUDIENCE + " by its current criteria.");

        long leaving = control.iterator().next();
        String customerId = jdbc.sql("SELECT identity_value FROM profile_identity WHERE mpid = ?"
                + " AND identity_type = 'customer_id'").param(leaving).query(String.class).single();
        assertThat(sendEvents("mptravel-web", "mptravel-web-secret", """
                {"environment":"development","user_identities":{"customer_id":"%s"},
                 "user_attributes":{"status":"Free"},
                 "events":[{"event_type":"custom_event","data":{"event_name":"Search"}}]}"""
                .formatted(customerId))).isEqualTo(202);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> receiver.actions().contains("remove:" + leaving));
        assertThat(receiver.membersAfterReplay()).doesNotContain(leaving);
        assertThat(receiver.accepted()).allSatisfy(received -> assertThat(received.signature()).isEqualTo(
                org.openaudience.output.MembershipMessages.signature(SECRET,
                        received.body().getBytes(StandardCharsets.UTF_8))));
    }

    /** Setup › Outputs › Add output: a webhook to the test's receiver with a known secret. */
    private void addWebhookOutput() {
        open("setup/outputs");
        button("", "Add output").click();
        type(nth(field("vaadin-text-field", "Name"), 0), "Story receiver");
        type(nth(field("vaadin-text-field", "URL"), 0), receiver.url());
        type(nth(field("vaadin-password-field", "HMAC secret"), 0), SECRET);
        button("vaadin-dialog-overlay", "Save").click();
        waitForText(receiver.url());
    }

    /** A/B Test tab: Control 50 %, "Half" 50 %, saved. */
    private void splitInHalf() throws Exception {
        button("", "Start A/B test").click();
        type(nth(field("vaadin-integer-field", "Percentage"), 0), "50");
        type(nth(field("vaadin-text-field", "Name (optional)"), 0), "Half");
        button("", "Add Variation").click();
        waitForText("Half");
        button("", "Save").click();
        waitForText("Saved: members are assigned to variations");
        screenshot("ab-test");
    }

    /** Connect tab: Control of the split to the story's webhook. */
    private void connectControl() throws Exception {
        wait.until(d -> d.findElements(By.cssSelector("vaadin-tab")).stream()
                .filter(tab -> tab.getText().trim().equals("Connect")).findFirst().orElse(null)).click();
        select("Output", "Story receiver (Webhook)");
        select("Send", "Variation Control (50 %)");
        button("", "Connect").click();
        waitForText(AUDIENCE + " - Control");
        screenshot("connect");
    }

    private void select(String label, String item) {
        WebElement select = nth(By.xpath("//vaadin-select[./label[normalize-space()='" + label + "']]"), 0);
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "arguments[0].scrollIntoView({block: 'center'})", select);
        select.click();
        wait.until(d -> d.findElements(By.cssSelector("vaadin-select-item")).stream()
                .filter(candidate -> candidate.getText().trim().equals(item) && candidate.isDisplayed())
                .findFirst().orElse(null)).click();
    }

    /** Waits until the receiver holds exactly the Control members of the complete calculation; returns them. */
    private Set<Long> awaitControlDelivered() {
        long audienceId = jdbc.sql("SELECT id FROM audience WHERE name = ?").param(AUDIENCE).query(Long.class)
                .single();
        var test = abTests.frozenTest(audienceId).orElseThrow();
        Set<Long> control = engine.members(audienceId, 0, 1_000_000).stream()
                .filter(mpid -> test.variationOf(mpid).isControl()).collect(java.util.stream.Collectors.toSet());
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> receiver.membersAfterReplay().equals(control));
        return control;
    }

    private void awaitDemoAudiences() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && jdbc.sql("SELECT COUNT(*) FROM audience").query(Long.class)
                .single() < 4) {
            Thread.sleep(250);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audience").query(Long.class).single()).isEqualTo(4);
    }

    private void addCriteria(String type) {
        wait.until(d -> d.findElements(By.cssSelector("vaadin-menu-bar-button")).stream()
                .filter(b -> b.getText().trim().equals("Add Criteria") && b.isDisplayed()).findFirst().orElse(null))
                .click();
        WebElement item = wait.until(d -> d.findElements(By.cssSelector("vaadin-menu-bar-item")).stream()
                .filter(candidate -> candidate.getText().trim().equals(type) && candidate.isDisplayed()).findFirst()
                .orElse(null));
        // the sub-menu may open over its own button near the window's bottom edge; a script click is exact
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].click()", item);
    }

    /** The input of a Vaadin field by its label (the label and input are slotted light-DOM children). */
    private static By field(String tag, String label) {
        return By.xpath("//" + tag + "[./label[normalize-space()='" + label + "']]//input");
    }

    /** Types into the n-th matching combo box and picks the item with exactly that text. */
    private void choose(By comboBox, int index, String value) {
        WebElement input = nth(comboBox, index);
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "arguments[0].scrollIntoView({block: 'center'})", input);
        input.click();
        input.sendKeys(value);
        wait.until(d -> d.findElements(By.cssSelector("vaadin-combo-box-item")).stream()
                .filter(item -> item.getText().trim().equals(value) && item.isDisplayed()).findFirst().orElse(null))
                .click();
    }

    private WebElement nth(By locator, int index) {
        return wait.until(d -> {
            List<WebElement> found = d.findElements(locator).stream().filter(WebElement::isDisplayed).toList();
            return found.size() > index ? found.get(index) : null;
        });
    }

    private static void type(WebElement input, String text) {
        input.click();
        input.sendKeys(text, Keys.TAB);
    }

    /** Waits on the list until the new audience's pie is gone (100 %) and returns its size. */
    private long awaitCalculated() {
        return new WebDriverWait(driver, Duration.ofSeconds(90)).until(d -> {
            List<WebElement> cells = d.findElements(By.cssSelector("vaadin-grid-cell-content"));
            for (int i = 0; i < cells.size(); i++) {
                if (cells.get(i).getText().trim().equals(AUDIENCE)) {
                    WebElement sizeCell = cells.get(i + 4); // Name, A/B test, ID, Status, Size
                    if (!sizeCell.findElements(By.cssSelector(".progress-pie")).isEmpty()) {
                        return null;
                    }
                    String count = sizeCell.getText().replace(",", "").trim();
                    return count.matches("[0-9]+") && Long.parseLong(count) > 0 ? Long.parseLong(count) : null;
                }
            }
            return null;
        });
    }

    private void openAudience() {
        wait.until(d -> d.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .filter(cell -> cell.getText().trim().equals(AUDIENCE)).findFirst().orElse(null)).click();
        waitFor("vaadin-tabsheet");
    }

    /** A profile that qualifies by the data itself, found without the app's compiler. */
    private long qualifyingUser() {
        return jdbc.sql("""
                        SELECT p.mpid FROM profile p JOIN event e ON e.workspace_id = p.workspace_id
                            AND e.mpid = p.mpid
                        WHERE LOWER(JSON_UNQUOTE(JSON_EXTRACT(p.user_attributes, '$.status'))) = 'premium'
                        AND e.event_type = 'custom_event' AND e.event_key = 'Play Video'
                        AND JSON_UNQUOTE(JSON_EXTRACT(e.attributes, '$.category')) = 'Destination Intro'
                        AND JSON_UNQUOTE(JSON_EXTRACT(e.attributes, '$.destination')) = 'Paris'
                        AND e.event_time > NOW() - INTERVAL 29 DAY
                        ORDER BY p.mpid LIMIT 1""").query(Long.class).single();
    }

    /** Fetches the ZIP with the browser's session, as the link would, and returns its CSVs one after the other. */
    private String membersCsv(String href) throws Exception {
        String cookies = driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .reduce((a, b) -> a + "; " + b).orElse("");
        byte[] zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href))
                .header("Cookie", cookies).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        StringBuilder csv = new StringBuilder();
        try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                if (entry.getName().endsWith(".csv")) {
                    csv.append(new String(entries.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(csv).as("CSVs in the download").isNotEmpty();
        return csv.toString();
    }

    private void screenshot(String name) throws Exception {
        Path file = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
