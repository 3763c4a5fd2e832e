package org.openaudience.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.openaudience.testsupport.IntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The app on a random port driven by Debian's headless Chromium. On CI (CI=true) a missing browser fails the
 * build; on a developer machine without Chromium these tests are skipped.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @LocalServerPort
    int port;

    WebDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        boolean available = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(available, "Debian chromium and chromium-driver are not installed");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,800");
        // the console, so tests can look for Content-Security-Policy violations
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        moreOptions(options);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // Vaadin re-renders parts of the page after a server round trip: look again rather than fail
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** For a test class that needs more of the browser (e.g. to see "Leave site?" questions). */
    void moreOptions(ChromeOptions options) {
    }

    @AfterEach
    void stopBrowser(TestInfo test) throws Exception {
        if (driver != null) {
            Path screenshot = Path.of("target", "screenshots", test.getTestMethod().orElseThrow().getName() + ".png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            driver.quit();
        }
    }

    /** Sends one batch to {@code POST /v2/events} as a client would; returns the HTTP status. */
    int sendEvents(String apiKey, String secret, String batchJson) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v2/events"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((apiKey + ":"
                        + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batchJson)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    void open(String path) {
        driver.get("http://localhost:" + port + "/" + path);
    }

    void login(String email, String password) {
        open("login");
        WebElement username = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("vaadin-login-form vaadin-text-field[name='username'] input")));
        username.sendKeys(email);
        driver.findElement(By.cssSelector("vaadin-login-form vaadin-password-field[name='password'] input"))
                .sendKeys(password, Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("vaadin-app-layout")));
    }

    void logout() {
        driver.manage().deleteAllCookies();
    }

    /** Console messages since the last call that report a Content-Security-Policy violation. */
    List<String> contentSecurityPolicyViolations() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy")).toList();
    }

    WebElement waitFor(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void waitForText(String text) {
        wait.until(d -> d.findElement(By.tagName("body")).getText().contains(text));
    }

    WebElement button(String within, String text) {
        return wait.until(d -> d.findElements(By.cssSelector(within + " vaadin-button")).stream()
                .filter(b -> b.getText().trim().equals(text) && b.isDisplayed())
                .findFirst().orElse(null));
    }
}
