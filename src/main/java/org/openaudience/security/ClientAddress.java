package org.openaudience.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The address of the browser or API client behind the current request, for the audit log. */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** The remote address of the current HTTP request, or null outside one (background jobs, tests). */
    public static String current() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
