package org.openaudience.security;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import org.openaudience.security.ui.LoginView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

@Configuration
@EnableWebSecurity
public class SecurityConfig {

    /**
     * The Events API authenticates each request with an input's key and secret itself (to answer exactly as
     * mParticle does), so its chain is stateless and has no CSRF, login, logout or request cache: nothing in it may
     * open a session, redirect, or read the body (a CSRF check would parse a form body). Should anything still
     * demand authentication, the answer is a 401 error dispatch, which the Events API's error filter answers in JSON.
     */
    @Bean
    @Order(1)
    SecurityFilterChain eventsApiFilterChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/v2/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint((request, response, e) ->
                        response.sendError(HttpStatus.UNAUTHORIZED.value())))
                .build();
    }

    @Bean
    SecurityFilterChain vaadinFilterChain(HttpSecurity http) throws Exception {
        // Session fixation protection (new session id on login) and CSRF come from Spring Security's defaults and
        // VaadinSecurityConfigurer; access to views is decided by their @RolesAllowed / @PermitAll annotations.
        return http.with(vaadin(), vaadin -> vaadin.loginView(LoginView.class, "/login?logout")).build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }
}
