package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The failures no real request can provoke on purpose today (an exception escaping Spring MVC, a 5xx error dispatch)
 * still answer the Events API's JSON; EventsApiHttpErrorsTest covers the ones that can be provoked over HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventsApiErrorFilterTest {

    private final EventsApiErrorFilter filter = new EventsApiErrorFilter();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void an_exception_escaping_a_v2_request_answers_500_internal_with_the_error_id_the_log_names(
            CapturedOutput log) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v2/bulkevents");
        request.setAttribute(EventsApiAnswers.INPUT_ID_ATTRIBUTE, 42L);
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.addHeader("Set-Cookie", "JSESSIONID=from-before-the-failure");

        filter.doFilter(request, response, failingWith(new IllegalStateException("pool exhausted: jdbc:secret")));

        JsonNode error = assertJsonError(response, 500, "INTERNAL");
        String errorId = error.path("error_id").asText();
        assertThat(errorId).isNotBlank();
        assertThat(response.getContentAsString()).doesNotContain("pool exhausted", "jdbc");
        assertThat(response.getHeader("Set-Cookie")).isNull();
        assertThat(log.getOut()).contains("ERROR", errorId, "POST /v2/bulkevents", "input 42",
                "java.lang.IllegalStateException: pool exhausted", "\tat org.openaudience.ingest.");
    }

    @Test
    void an_exception_after_the_answer_was_sent_is_logged_and_passed_on_so_the_connection_is_aborted(
            CapturedOutput log) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v2/events");
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setCommitted(true);
        IllegalStateException failure = new IllegalStateException("late failure");

        assertThatThrownBy(() -> filter.doFilter(request, response, failingWith(failure))).isSameAs(failure);
        assertThat(log.getOut()).contains("ERROR", "after its answer was sent", "POST /v2/events", "late failure");
    }

    @Test
    void an_error_dispatch_for_a_v2_request_answers_json_with_its_status() throws Exception {
        assertJsonError(errorDispatch("/v2/events;jsessionid=x", 400, null), 400, "BAD_REQUEST");
        assertJsonError(errorDispatch("/v2/events", 413, null), 413, "REQUEST_TOO_LARGE");
        assertJsonError(errorDispatch("/v2/nope", 404, null), 404, "NOT_FOUND");
        assertJsonError(errorDispatch("/v2/events", 406, null), 406, "NOT_ACCEPTABLE");
    }

    @Test
    void a_server_error_dispatch_for_a_v2_request_answers_500_internal_and_logs_tomcats_exception(
            CapturedOutput log) throws Exception {
        MockHttpServletResponse response = errorDispatch("/v2/events", 500, new StackOverflowError("deep"));

        String errorId = assertJsonError(response, 500, "INTERNAL").path("error_id").asText();
        assertThat(errorId).isNotBlank();
        assertThat(log.getOut()).contains("ERROR", errorId, "POST /v2/events", "java.lang.StackOverflowError: deep");
    }

    @Test
    void requests_outside_v2_and_their_error_dispatches_are_left_to_the_web_app() throws Exception {
        IllegalStateException failure = new IllegalStateException("a view failed");
        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("GET", "/audiences"),
                new MockHttpServletResponse(), failingWith(failure))).isSameAs(failure);
        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("GET", "/v2events"),
                new MockHttpServletResponse(), failingWith(failure))).isSameAs(failure);

        MockHttpServletRequest error = new MockHttpServletRequest("GET", "/error");
        error.setDispatcherType(DispatcherType.ERROR);
        error.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/audiences");
        error.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 500);
        AtomicBoolean passedOn = new AtomicBoolean();
        filter.doFilter(error, new MockHttpServletResponse(), (req, res) -> passedOn.set(true));
        assertThat(passedOn).isTrue();
    }

    private MockHttpServletResponse errorDispatch(String originalUri, int status, Throwable failure)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
        request.setDispatcherType(DispatcherType.ERROR);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, originalUri);
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setStatus(status);
        filter.doFilter(request, response, (req, res) -> {
            throw new AssertionError("an error dispatch for /v2 must not reach the web app's /error");
        });
        return response;
    }

    private static FilterChain failingWith(RuntimeException failure) {
        return (request, response) -> {
            throw failure;
        };
    }

    private JsonNode assertJsonError(MockHttpServletResponse response, int status, String code) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getContentType()).isEqualTo("application/json");
        JsonNode errors = json.readTree(response.getContentAsString()).path("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).path("code").asText()).isEqualTo(code);
        assertThat(errors.get(0).path("message").asText()).isNotBlank();
        return errors.get(0);
    }
}
