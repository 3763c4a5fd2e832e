package org.openaudience.ingest;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Keeps the Events API's error format for requests Spring MVC refuses before the controller runs (e.g. GET
 * /v2/events), instead of an HTML error page behind the web app's login.
 */
@RestControllerAdvice
class EventsApiErrors {

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, "POST")
                .body(Map.of("errors", List.of(Map.of("code", "METHOD_NOT_ALLOWED",
                        "message", "Use POST; " + e.getMethod() + " is not supported here."))));
    }
}
