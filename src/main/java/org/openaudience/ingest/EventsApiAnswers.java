package org.openaudience.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.UrlPathHelper;

/**
 * The Events API's error answers in PRODUCT.md §5's format {@code {"errors":[{"code":…,"message":…}]}}, shared by
 * the controller, its advice and {@link EventsApiErrorFilter}: every way a /v2 request can end says the same thing
 * in JSON, because an SDK takes a redirect or an HTML page for success and drops the events.
 */
final class EventsApiAnswers {

    /** Set by the controller once the credentials name an input, so a later failure's log says whose it was. */
    static final String INPUT_ID_ATTRIBUTE = EventsApiAnswers.class.getName() + ".inputId";

    private static final Logger log = LoggerFactory.getLogger(EventsApiAnswers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer that is not a ResponseEntity yet: the servlet filter writes it to the raw response. */
    record Answer(int status, Map<String, Object> body) {

        ResponseEntity<Object> toResponseEntity() {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
        }
    }

    private EventsApiAnswers() {
    }

    static boolean isEventsApiPath(String pathWithinApplication) {
        return pathWithinApplication.equals("/v2") || pathWithinApplication.startsWith("/v2/");
    }

    static boolean isEventsApiRequest(HttpServletRequest request) {
        return isEventsApiPath(UrlPathHelper.defaultInstance.getPathWithinApplication(request));
    }

    /**
     * The content type is set here rather than negotiated, so a client's {@code Accept} (a browser's text/html, say)
     * can never turn an answer into Spring's 406 and from there into an HTML error page.
     */
    static ResponseEntity<Object> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(code, message));
    }

    static Map<String, Object> body(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return Map.of("errors", List.of(error));
    }

    /** The error code of PRODUCT.md §5 for a status that Spring or Tomcat chose (an error dispatch). */
    static String codeFor(int status) {
        if (status == HttpStatus.PAYLOAD_TOO_LARGE.value()) {
            return "REQUEST_TOO_LARGE";
        }
        if (status >= 500) {
            return "INTERNAL";
        }
        HttpStatus known = HttpStatus.resolve(status);
        return known != null ? known.name() : "BAD_REQUEST";
    }

    /**
     * A fault of ours while handling a request: a 500 whose {@code error_id} the ERROR log repeats with the stack
     * trace, so that SDKs retry and a report can be matched to the log. The exception's text never reaches the
     * client: it may hold SQL or data of other requests.
     */
    static Answer internal(Throwable failure, String method, String path, Object inputId) {
        String errorId = UUID.randomUUID().toString();
        log.error("Events API request failed [error_id={}]: {} {} (input {})", errorId, method, path,
                inputId != null ? inputId : "not known yet", failure);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "INTERNAL");
        error.put("message", "The server failed to process the request; retry it later. Quote error_id "
                + errorId + " when you report it.");
        error.put("error_id", errorId);
        return new Answer(HttpStatus.INTERNAL_SERVER_ERROR.value(), Map.of("errors", List.of(error)));
    }

    /** Writes the answer as UTF-8 bytes: a Writer would make Tomcat append a charset other than UTF-8. */
    static void write(HttpServletResponse response, Answer answer) throws IOException {
        response.setStatus(answer.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        byte[] bytes = JSON.writeValueAsBytes(answer.body());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }
}
