package org.openaudience.api;

import java.time.Clock;
import org.openaudience.base.TokenBuckets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * The REST API's own filter chain: bearer tokens only, stateless, no CSRF (no cookie is ever read), every refusal a
 * problem-details JSON answer. The OpenAPI document is public, as peers publish theirs.
 */
@Configuration
class ApiSecurityConfig {

    static final String OPENAPI_PATH = "/api/v1/openapi.json";

    @Bean
    @Order(2)
    SecurityFilterChain restApiFilterChain(HttpSecurity http, ApiTokens tokens,
                                           @Value("${openaudience.api.rate-limit-per-second:20}") double rate)
            throws Exception {
        // the wall clock, not the app's Clock: a rate is about real seconds, also when tests move the app's time
        TokenBuckets<Long> rateLimits = new TokenBuckets<>(rate, rate * 2, Clock.systemUTC());
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(OPENAPI_PATH, OPENAPI_PATH + "/**").permitAll()
                        .anyRequest().authenticated())
                .addFilterBefore(new BearerTokenFilter(tokens, rateLimits), AuthorizationFilter.class)
                .csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> { })
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(
                        new RequestAttributeSecurityContextRepository()))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) -> BearerTokenFilter.unauthorized(request,
                                response, "Send an API token as \"Authorization: Bearer <token>\"."))
                        .accessDeniedHandler((request, response, e) -> ProblemResponses.write(request, response,
                                403, "Forbidden", "This token may not do that.")))
                .build();
    }
}
