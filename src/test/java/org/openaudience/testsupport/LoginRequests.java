package org.openaudience.testsupport;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * MockMvc posts of the login form, as the login page sends them (with the CSRF token), from a given client address:
 * failed logins count per address across a test context, so each test signs in from an address of its own.
 */
public final class LoginRequests {

    private LoginRequests() {
    }

    /** An address of the 10.0.0.0/8 test range, different in each call (a MockMvc request sends nothing anywhere). */
    public static String newAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    public static MockHttpServletRequestBuilder login(String email, String password, String address) {
        return MockMvcRequestBuilders.post("/login").param("username", email).param("password", password)
                .with(csrf()).with(request -> {
                    request.setRemoteAddr(address);
                    return request;
                });
    }
}
