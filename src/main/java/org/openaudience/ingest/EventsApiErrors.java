package org.openaudience.ingest;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.util.UrlPathHelper;

/**
 * An exception from the Events API's controller (the database, the ingestion service, anything) is a fault of
 * ours: 500 INTERNAL with an error id that the ERROR log repeats. Before this, it went on to Tomcat's error dispatch
 * and came back as a redirect to /login, which SDKs follow to a 200 and count as delivered. Limited to the Events
 * API, so that the web app's errors keep their own handling.
 */
@RestControllerAdvice(assignableTypes = EventsApiController.class)
class EventsApiErrors {

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> failed(Exception e, HttpServletRequest request) {
        return EventsApiAnswers.internal(e, request.getMethod(),
                UrlPathHelper.defaultInstance.getPathWithinApplication(request),
                request.getAttribute(EventsApiAnswers.INPUT_ID_ATTRIBUTE)).toResponseEntity();
    }
}
