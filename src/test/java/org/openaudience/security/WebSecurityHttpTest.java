package org.openaudience.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The web app over real HTTP (Tomcat on a random port), as a browser and a foreign site's page see it: cookie
 * attributes, security headers, and which login posts sign a browser in.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebSecurityHttpTest {

    private static final Pattern META = Pattern.compile("<meta name=\"(_csrf(?:_parameter)?)\" content=\"([^\"]*)\"");

    @LocalServerPort
    int port;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    Member member;

    @BeforeEach
    void aMember() {
        member = new TestMembers(team, workspaces).member(Role.USER);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The login form's post, with the headers a browser adds. */
    private HttpResponse<String> postLogin(Map<String, String> form, String cookie, String origin) throws Exception {
        String body = form.entrySet().stream().map(field -> field.getKey() + "="
                + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<String> sessionCookieHeader(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst();
    }

    private static String sessionCookie(HttpResponse<?> response) {
        return sessionCookieHeader(response).orElseThrow().split(";")[0];
    }

    /** Whether the session behind the cookie is signed in: a page that needs a login answers instead of redirecting. */
    private boolean signedIn(String cookie) throws Exception {
        HttpResponse<String> page = get("/change-password", cookie);
        return page.statusCode() == 200;
    }

    @Test
    void pages_come_with_a_content_security_policy_a_same_origin_referrer_policy_and_no_framing() throws Exception {
        HttpResponse<String> page = get("/login", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(List.of(policy.split(";\\s*"))).contains("default-src 'self'", "object-src 'none'",
                        "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'", "connect-src 'self'",
                        // what Vaadin's bundles and server-driven updates need (FoundationBrowserTest runs with it)
                        "script-src 'self' 'unsafe-inline' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'"));
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void the_session_cookie_is_http_only_and_same_site_strict_and_not_secure_over_plain_http() throws Exception {
        String cookie = sessionCookieHeader(get("/login", null)).orElseThrow();
        List<String> attributes = List.of(cookie.split(";\\s*"));
        assertThat(attributes).contains("HttpOnly", "SameSite=Strict").doesNotContain("Secure");
    }

    @Test
    void the_login_page_hands_its_form_the_csrf_token_and_signing_in_with_it_works() throws Exception {
        HttpResponse<String> page = get("/login", null);
        String cookie = sessionCookie(page);
        Map<String, String> meta = META.matcher(page.body()).results()
                .collect(Collectors.toMap(m -> m.group(1), m -> m.group(2)));
        assertThat(meta).containsKeys("_csrf_parameter", "_csrf");

        HttpResponse<String> login = postLogin(Map.of("username", member.getEmail(), "password",
                TestMembers.PASSWORD, meta.get("_csrf_parameter"), meta.get("_csrf")), cookie,
                "http://localhost:" + port);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to)
                .doesNotContain("error"));
        String signedInCookie = sessionCookie(login);
        assertThat(signedInCookie).as("a new session id on login").isNotEqualTo(cookie);
        assertThat(signedIn(signedInCookie)).isTrue();
    }

    /** The CSRF check's 403 is shown as the login page (its error page needs a login), never as a signed-in page. */
    private static void assertRefusedToTheLoginPage(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(URI.create(to)
                .getPath()).as("no session id in URLs either").isEqualTo("/login"));
    }

    @Test
    void a_cross_site_login_post_with_valid_credentials_but_no_token_signs_nobody_in() throws Exception {
        Map<String, String> credentials = Map.of("username", member.getEmail(), "password", TestMembers.PASSWORD);

        // a foreign page's form: SameSite=Strict keeps the browser's cookie out, so there is no session either
        HttpResponse<String> withoutSession = postLogin(credentials, null, "https://evil.example");
        assertRefusedToTheLoginPage(withoutSession);
        Optional<String> newCookie = sessionCookieHeader(withoutSession).map(c -> c.split(";")[0]);
        if (newCookie.isPresent()) {
            assertThat(signedIn(newCookie.get())).isFalse();
        }

        // and should a browser send its session cookie along, the token is still missing
        String cookie = sessionCookie(get("/login", null));
        HttpResponse<String> withSession = postLogin(credentials, cookie, "https://evil.example");
        assertRefusedToTheLoginPage(withSession);
        assertThat(signedIn(cookie)).isFalse();
        assertThat(sessionCookieHeader(withSession)).isEmpty();
    }

    @Test
    void a_login_form_whose_session_ended_meanwhile_leads_to_a_fresh_login_page() throws Exception {
        HttpResponse<String> login = postLogin(Map.of("username", member.getEmail(), "password",
                TestMembers.PASSWORD, "_csrf", "a-token-of-a-session-that-ended"), "JSESSIONID=ended-long-ago",
                "http://localhost:" + port);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to)
                .endsWith("/login?expired-form"));
    }

}
