package org.openaudience.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.openaudience.base.TokenBuckets;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates REST API requests by {@code Authorization: Bearer <token>} and nothing else — no session, no
 * cookie — so a foreign page cannot make a browser call the API with the member's sign-in. Each token has its own
 * rate limit.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    static final String BEARER = "Bearer ";

    private final ApiTokens tokens;
    private final TokenBuckets<Long> rateLimits;

    BearerTokenFilter(ApiTokens tokens, TokenBuckets<Long> rateLimits) {
        this.tokens = tokens;
        this.rateLimits = rateLimits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response); // public paths pass; the rest meet the entry point's 401
            return;
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            unauthorized(request, response, "Send an API token as \"Authorization: Bearer <token>\".");
            return;
        }
        ApiTokens.Authenticated authenticated;
        try {
            authenticated = tokens.authenticate(header.substring(BEARER.length()).strip(), request.getRemoteAddr());
        } catch (ApiTokens.TokenRefusedException refused) {
            if (refused.retryAfterSeconds() > 0) {
                tooManyRequests(request, response, refused.retryAfterSeconds(), refused.getMessage());
            } else {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"OpenAudience\", "
                        + "error=\"invalid_token\"");
                ProblemResponses.write(request, response, 401, "Unauthorized", refused.getMessage());
            }
            return;
        }
        long wait = rateLimits.acquire(authenticated.tokenId(), 1);
        if (wait > 0) {
            tooManyRequests(request, response, wait, "This token sent too many requests; retry after " + wait
                    + " s.");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(authenticated.member().email(),
                null, List.of(new SimpleGrantedAuthority("ROLE_" + authenticated.member().role().name()))));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static void tooManyRequests(HttpServletRequest request, HttpServletResponse response, long wait,
                                        String detail) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
        ProblemResponses.write(request, response, 429, "Too Many Requests", detail);
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"OpenAudience\"");
        ProblemResponses.write(request, response, 401, "Unauthorized", detail);
    }
}
