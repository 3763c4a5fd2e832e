package org.openaudience.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A sign-in posted from a login page whose session ended meanwhile (left open while the computer slept) carries a
 * CSRF token that no session holds any more. Instead of the bare 403 of the CSRF check, such a post is sent to a
 * fresh login page that asks to sign in again. A post without any session cookie (as a cross-site one is, with
 * {@code SameSite=Strict}) still meets the CSRF check.
 */
class ExpiredLoginFormFilter extends OncePerRequestFilter {

    static final String TARGET = "/login?expired-form";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !(request.getContextPath() + "/login").equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid()) {
            response.sendRedirect(request.getContextPath() + TARGET);
            return;
        }
        chain.doFilter(request, response);
    }
}
