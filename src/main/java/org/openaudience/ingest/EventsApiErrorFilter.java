package org.openaudience.ingest;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.util.UrlPathHelper;

/**
 * The last line of the Events API's error format, ordered before Spring Security. Without it, what escapes Spring
 * MVC for a /v2 request (an exception in a filter or in error handling) and every error dispatch Tomcat makes for
 * one ({@code sendError} by Spring Security's firewall or by Spring MVC) went to {@code /error}, which the web app's
 * security chain answers with a redirect to /login and a new session — a 302 that SDKs follow to a 200 and count as
 * delivered. Here both answer JSON instead.
 */
class EventsApiErrorFilter extends HttpFilter {

    private static final Logger log = LoggerFactory.getLogger(EventsApiErrorFilter.class);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            String path = originalPath(request);
            if (path != null && EventsApiAnswers.isEventsApiPath(path)) {
                answerErrorDispatch(request, response, path);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST || !EventsApiAnswers.isEventsApiRequest(request)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
            Object inputId = request.getAttribute(EventsApiAnswers.INPUT_ID_ATTRIBUTE);
            if (response.isCommitted()) {
                // the status line is sent, so the client cannot be told; Tomcat aborts the connection on the rethrow
                log.error("Events API request failed after its answer was sent: {} {} (input {})",
                        request.getMethod(), path, inputId, e);
                throw e;
            }
            response.reset();
            EventsApiAnswers.write(response, EventsApiAnswers.internal(e, request.getMethod(), path, inputId));
        }
    }

    /**
     * A status Tomcat is dispatching for a /v2 request: client errors keep their status with the matching code;
     * a server error is a fault of ours, logged with the exception Tomcat caught (if any) under an error id.
     */
    private static void answerErrorDispatch(HttpServletRequest request, HttpServletResponse response, String path)
            throws IOException {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer code ? code : HttpStatus.INTERNAL_SERVER_ERROR.value();
        String method = request.getMethod();
        Object inputId = request.getAttribute(EventsApiAnswers.INPUT_ID_ATTRIBUTE);
        EventsApiAnswers.Answer answer;
        if (status >= 500) {
            // null when something sent the status without an exception; the log line then names no cause
            Throwable failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t
                    : null;
            answer = EventsApiAnswers.internal(failure, method, path, inputId);
        } else {
            HttpStatus known = HttpStatus.resolve(status);
            answer = new EventsApiAnswers.Answer(status, EventsApiAnswers.body(EventsApiAnswers.codeFor(status),
                    "The request was refused: " + (known != null ? known.getReasonPhrase() : "HTTP " + status)
                            + "."));
        }
        EventsApiAnswers.write(response, answer);
    }

    /** The path within the application of the request an error dispatch is for, or null when Tomcat gave none. */
    private static String originalPath(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri)) {
            return null;
        }
        String contextPath = request.getContextPath();
        String withinApplication = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
        UrlPathHelper paths = UrlPathHelper.defaultInstance;
        return paths.removeSemicolonContent(paths.decodeRequestString(request, withinApplication));
    }
}
