package org.openaudience.security;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import com.vaadin.flow.spring.security.RequestUtil;
import org.openaudience.security.ui.LoginView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

@Configuration
@EnableWebSecurity
public class SecurityConfig {

    /**
     * What the pages may load: only this server, except that Vaadin's pre-compiled bundles and its server-driven
     * updates need inline scripts and styles and {@code eval} (executeJs). No framing, no plugins, forms post here.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

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

    /**
     * The web app. Session fixation protection (new session id on login) comes from Spring Security's defaults;
     * access to views is decided by their @RolesAllowed / @PermitAll annotations. CSRF: Vaadin's own requests carry
     * Vaadin's token; everything else, the login form's post included, needs Spring's token, which Vaadin puts in
     * the page and its login form sends (VaadinSecurityConfigurer would exempt the login post, so a foreign site
     * could sign a browser in to an account of its choosing).
     */
    @Bean
    SecurityFilterChain vaadinFilterChain(HttpSecurity http, RequestUtil vaadinRequests) throws Exception {
        return http.with(vaadin(), vaadin -> vaadin.loginView(LoginView.class, "/login?logout")
                        .enableCsrfConfiguration(false))
                .csrf(csrf -> csrf.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest))
                .addFilterBefore(new ExpiredLoginFormFilter(), CsrfFilter.class)
                .formLogin(form -> form.failureHandler(loginFailure()))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    /** A throttled address learns how long to wait; any other failure gets the usual "check your email and password". */
    private static AuthenticationFailureHandler loginFailure() {
        SimpleUrlAuthenticationFailureHandler otherwise = new SimpleUrlAuthenticationFailureHandler("/login?error");
        return (request, response, exception) -> {
            if (exception instanceof LoginThrottledException throttled) {
                response.sendRedirect(request.getContextPath() + "/login?throttled=" + throttled.minutesToWait());
            } else {
                otherwise.onAuthenticationFailure(request, response, exception);
            }
        };
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }
}
