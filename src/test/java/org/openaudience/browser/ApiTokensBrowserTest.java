package org.openaudience.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A member creates an API token on their page, uses it, and reads the API documentation: springdoc's Swagger UI
 * renders under the app's Content-Security-Policy and can call the API with the token.
 */
class ApiTokensBrowserTest extends BrowserTest {

    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;

    @Test
    void a_member_creates_a_token_and_the_swagger_ui_lists_and_calls_the_audiences_operations() throws Exception {
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Swagger");
        Member member = members.member(Role.USER, workspace);

        login(member.getEmail(), TestMembers.PASSWORD);

        waitFor("#member-menu vaadin-menu-bar-button").click();
        wait.until(d -> d.findElements(By.cssSelector("vaadin-menu-bar-item")).stream()
                .filter(item -> item.getText().trim().equals("API tokens")).findFirst().orElse(null)).click();
        waitFor("#api-token-new").click();
        waitFor("#api-token-name input").sendKeys("Browser check");
        driver.findElement(By.cssSelector("#api-token-create")).click();
        String secret = waitFor("#api-token-secret input").getDomProperty("value");
        assertThat(secret).startsWith("oa_");
        assertThat(driver.findElement(By.cssSelector("#api-token-example textarea")).getDomProperty("value"))
                .contains("Bearer " + secret);
        driver.findElement(By.cssSelector("#api-token-done")).click();
        waitForText(secret.substring(0, 10) + "…");
        assertThat(audiencesWith(secret, workspace)).isEqualTo(200);
        // policy violations only: the app's pages ask for a /favicon.ico the app does not have (a 404 in the console)
        assertThat(contentSecurityPolicyViolations()).as("policy violations on the tokens page").isEmpty();

        String tokensPage = driver.getWindowHandle();
        waitFor("#api-documentation").click();
        wait.until(d -> d.getWindowHandles().size() == 2);
        driver.switchTo().window(driver.getWindowHandles().stream().filter(h -> !h.equals(tokensPage))
                .findFirst().orElseThrow());
        WebElement audiencesTag = wait.until(d -> d.findElements(By.cssSelector(".swagger-ui .opblock-tag"))
                .stream().filter(tag -> tag.getText().startsWith("Audiences")).findFirst().orElse(null));
        assertThat(audiencesTag.getText()).contains("Audiences of a workspace");
        waitForText("List audiences");
        waitForText("Get an audience");

        // try it out with the token: the page calls the API from the browser, so connect-src must allow it
        waitFor(".swagger-ui .btn.authorize").click();
        waitFor(".swagger-ui .auth-container input").sendKeys(secret);
        driver.findElement(By.cssSelector(".swagger-ui .auth-btn-wrapper .btn.authorize")).click();
        driver.findElement(By.cssSelector(".swagger-ui .btn-done")).click();
        wait.until(d -> d.findElements(By.cssSelector(".swagger-ui .opblock-summary")).stream()
                .filter(summary -> summary.getText().contains("List audiences")).findFirst().orElse(null)).click();
        waitFor(".swagger-ui .try-out__btn").click();
        waitFor(".swagger-ui .parameters input[placeholder='workspaceId']").sendKeys(
                Long.toString(workspace.id()));
        driver.findElement(By.cssSelector(".swagger-ui .btn.execute")).click();
        wait.until(d -> d.findElements(By.cssSelector(".swagger-ui .live-responses-table .response-col_status"))
                .stream().anyMatch(status -> status.getText().trim().startsWith("200")));
        assertThat(severeOrPolicyMessages()).as("errors and policy violations on the Swagger UI page").isEmpty();
        // the check sees an error when there is one
        ((JavascriptExecutor) driver).executeScript("console.error('console check')");
        wait.until(d -> severeOrPolicyMessages().stream().anyMatch(message -> message.contains("console check")));
        assertThat(swaggerUiConfiguration()).contains("\"validatorUrl\":\"none\"");

        logout();
        open("api-docs");
        waitFor("vaadin-login-form"); // the documentation page is for signed-in members
    }

    /** The console's errors (severity SEVERE) and policy reports since the last call. */
    private List<String> severeOrPolicyMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()
                        || entry.getMessage().contains("Content Security Policy"))
                .map(LogEntry::getMessage).toList();
    }

    /** What springdoc tells the Swagger UI page (public, like the document it points to). */
    private String swaggerUiConfiguration() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/openapi.json/swagger-config")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int audiencesWith(String token, Workspace workspace) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/workspaces/" + workspace.id() + "/audiences"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
