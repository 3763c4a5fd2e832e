package org.openaudience.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** The demo receiver is called by the delivery worker, not a signed-in browser: it checks the HMAC itself. */
@Configuration
@Profile("demo")
class DemoReceiverSecurity {

    @Bean
    @Order(2)
    SecurityFilterChain demoReceiverFilterChain(HttpSecurity http) throws Exception {
        return http.securityMatcher(DemoReceiver.PATH)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }
}
