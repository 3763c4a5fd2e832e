package org.openaudience.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Served over HTTPS (behind a TLS proxy), the operator sets one property and the session cookie is Secure. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "openaudience.security.secure-cookie=true")
class SecureSessionCookieTest {

    @LocalServerPort
    int port;

    @Test
    void the_secure_cookie_setting_makes_the_session_cookie_secure() throws Exception {
        HttpResponse<Void> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/login")).build(), HttpResponse.BodyHandlers.discarding());
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElseThrow();
        assertThat(List.of(cookie.split(";\\s*"))).contains("Secure", "HttpOnly", "SameSite=Strict");
    }
}
