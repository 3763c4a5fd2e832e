package org.openaudience.security.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpSessionEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.mock.web.MockHttpSession;

class IdleTimeoutTest {

    private static IdleTimeout configured(Duration timeout) {
        ServerProperties server = new ServerProperties();
        server.getServlet().getSession().setTimeout(timeout);
        return new IdleTimeout(server);
    }

    @Test
    void a_new_session_gets_the_configured_timeout_to_the_second_where_tomcat_would_round_it_to_minutes() {
        MockHttpSession session = new MockHttpSession();
        configured(Duration.ofSeconds(90)).sessionCreated(new HttpSessionEvent(session));
        assertThat(session.getMaxInactiveInterval()).isEqualTo(90);

        configured(Duration.ofMinutes(30)).sessionCreated(new HttpSessionEvent(session));
        assertThat(session.getMaxInactiveInterval()).isEqualTo(1800);
    }

    @Test
    void a_timeout_under_a_second_or_beyond_what_a_session_holds_stops_the_start_with_the_setting_named() {
        assertThatThrownBy(() -> configured(Duration.ofMillis(500)))
                .hasMessageContaining("openaudience.security.session-timeout");
        assertThatThrownBy(() -> configured(Duration.ZERO))
                .hasMessageContaining("openaudience.security.session-timeout");
        assertThatThrownBy(() -> configured(Duration.ofSeconds(Integer.MAX_VALUE + 1L)))
                .hasMessageContaining("openaudience.security.session-timeout");
        assertThat(configured(Duration.ofSeconds(Integer.MAX_VALUE)).timeout()).hasSeconds(Integer.MAX_VALUE);
    }
}
