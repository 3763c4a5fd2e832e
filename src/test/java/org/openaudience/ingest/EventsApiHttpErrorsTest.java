package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every request to /v2 that is not stored answers the Events API's JSON error, through the real stack (Tomcat,
 * Spring Security, error dispatch, the Vaadin servlet) — MockMvc would skip the parts that used to answer with a
 * login redirect or an HTML page, which SDKs take for success.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class EventsApiHttpErrorsTest {

    /** Fails the request's last statement (the catalog upsert) for this event name, as a full disk would. */
    static final String FAULT_TRIGGER = "http_errors_fault_on_catalog";
    static final String FAULT_EVENT = "Fault Over Http";

    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures fixtures;

    IngestFixture fixture;
    EventsApiClient api;

    @BeforeEach
    void setUp() {
        fixture = fixtures.create();
        api = new EventsApiClient(port, fixture.credentials);
    }

    @AfterEach
    void dropFaultTrigger() {
        fixtures.dropTrigger(FAULT_TRIGGER);
    }

    @Test
    void a_database_fault_answers_500_internal_with_an_error_id_that_the_log_names_and_writes_nothing(
            CapturedOutput log) throws Exception {
        fixtures.failCatalogInsert(FAULT_TRIGGER, FAULT_EVENT, "simulated disk full");
        String batch = EventsApiTest.PLAY_VIDEO.formatted("c-fault").replace("Play Video", FAULT_EVENT);

        HttpResponse<String> response = send("POST", "/v2/events", "application/json", batch, true);

        JsonNode error = assertJsonError(response, 500, "INTERNAL");
        String errorId = error.path("error_id").asText();
        assertThat(errorId).isNotBlank();
        assertThat(response.body()).doesNotContainIgnoringCase("simulated").doesNotContainIgnoringCase("sql")
                .doesNotContain("Exception");
        assertThat(fixture.written()).as("rows written by the failed request").isZero();
        assertThat(log.getOut()).contains("ERROR").contains(errorId).contains("POST /v2/events")
                .contains("input " + fixture.input.id()).contains("simulated disk full")
                .contains("\tat org.openaudience.ingest.IngestionService");
    }

    @Test
    void an_unknown_path_under_v2_answers_404_not_found_even_to_a_browser() throws Exception {
        for (String path : List.of("/v2/nope", "/v2/events/extra", "/v2", "/v2/")) {
            assertJsonError(send("GET", path, null, null, false, "text/html"), 404, "NOT_FOUND");
            assertJsonError(send("POST", path, "application/json", "{}", true), 404, "NOT_FOUND");
        }
    }

    /** The PUT's form body is malformed on purpose: had Spring's form content filter parsed it, this were a 500. */
    @Test
    void other_methods_on_an_endpoint_answer_405_with_allow_post() throws Exception {
        for (String path : List.of("/v2/events", "/v2/bulkevents")) {
            HttpResponse<String> get = send("GET", path, null, null, true, "text/html");
            assertJsonError(get, 405, "METHOD_NOT_ALLOWED");
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            assertJsonError(send("PUT", path, "application/x-www-form-urlencoded", "a=%zz", true), 405,
                    "METHOD_NOT_ALLOWED");
            assertJsonError(send("DELETE", path, null, null, false), 405, "METHOD_NOT_ALLOWED");
        }
    }

    @Test
    void a_body_that_is_not_json_by_its_content_type_is_refused_with_415_and_writes_nothing() throws Exception {
        String batch = EventsApiTest.PLAY_VIDEO.formatted("c-415");
        String multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"batch\"\r\n\r\n" + batch
                + "\r\n--XyZ--\r\n";
        for (String[] typeAndBody : List.of(new String[] {"text/plain", batch},
                new String[] {"application/x-www-form-urlencoded", batch},
                new String[] {"application/x-www-form-urlencoded", "batch=" + batch},
                new String[] {"multipart/form-data; boundary=XyZ", multipart},
                new String[] {"multipart/form-data", "not multipart at all"},
                new String[] {"application/xml", "<batch/>"},
                new String[] {"not a media type", batch})) {
            HttpResponse<String> response = send("POST", "/v2/events", typeAndBody[0], typeAndBody[1], true);
            assertJsonError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
            assertThat(response.headers().firstValue("Accept")).hasValueSatisfying(accept ->
                    assertThat(accept).contains("application/json"));
        }
        assertThat(fixture.written()).as("rows written by refused requests").isZero();
    }

    @Test
    void credentials_are_checked_before_the_content_type() throws Exception {
        assertJsonError(send("POST", "/v2/events", "text/plain", "x", false), 401, "UNAUTHORIZED");
        assertJsonError(send("POST", "/v2/events", "multipart/form-data", "not multipart", false), 401,
                "UNAUTHORIZED");
        assertJsonError(send("POST", "/v2/bulkevents", "application/x-www-form-urlencoded", "a=1", false), 401,
                "UNAUTHORIZED");
    }

    @Test
    void the_content_type_is_checked_before_the_size() throws Exception {
        String big = "a=" + "x".repeat(300_000);
        assertJsonError(send("POST", "/v2/events", "application/x-www-form-urlencoded", big, true), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertThat(fixture.written()).isZero();
    }

    @Test
    void json_with_any_charset_a_json_suffix_or_no_content_type_at_all_is_accepted() throws Exception {
        String[] types = {"application/json", "application/json; charset=UTF-8", "Application/JSON;charset=utf-8",
                "application/vnd.mparticle.batch+json", null};
        for (int i = 0; i < types.length; i++) {
            HttpResponse<String> response = send("POST", "/v2/events", types[i],
                    EventsApiTest.PLAY_VIDEO.formatted("c-type-" + i), true, "text/html");
            assertThat(response.statusCode()).as("status for Content-Type %s", types[i]).isEqualTo(202);
            assertJsonResponseHeaders(response);
            assertThat(response.body()).isEqualTo("{}");
        }
        assertThat(fixture.count("event")).isEqualTo(types.length);
    }

    @Test
    void missing_and_wrong_credentials_answer_401_and_403_over_http() throws Exception {
        String batch = EventsApiTest.PLAY_VIDEO.formatted("c-auth");
        HttpResponse<String> missing = send("POST", "/v2/events", "application/json", batch, false);
        assertJsonError(missing, 401, "UNAUTHORIZED");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                assertThat(value).startsWith("Basic"));
        HttpResponse<String> wrong = api.send(api.request("POST", "/v2/events", "application/json", batch, null)
                .header("Authorization", EventsApiClient.basic(fixture.credentials.apiKey(), "not-the-secret")));
        assertJsonError(wrong, 403, "FORBIDDEN");
        assertThat(fixture.written()).isZero();
    }

    /** A client that drops the connection mid-body caused that itself: no 500, which would claim a fault of ours. */
    @Test
    void a_body_cut_short_by_the_client_answers_400_and_writes_nothing(CapturedOutput log) throws Exception {
        String batch = EventsApiTest.PLAY_VIDEO.formatted("c-cut");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + api.authorization() + "\r\n"
                    + "Content-Length: " + (batch.length() + 1000) + "\r\nConnection: close\r\n\r\n" + batch)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json")
                    .contains("\"code\":\"BAD_REQUEST\"").doesNotContainIgnoringCase("Set-Cookie");
        }
        assertThat(fixture.written()).isZero();
        assertThat(log.getOut()).contains("Events API body not read completely").doesNotContain("error_id=");
    }

    @Test
    void a_url_the_security_firewall_rejects_answers_400_in_json() throws Exception {
        assertJsonError(send("POST", "/v2/events;jsessionid=abc", "application/json",
                EventsApiTest.PLAY_VIDEO.formatted("c-firewall"), true), 400, "BAD_REQUEST");
        assertThat(fixture.written()).isZero();
    }

    HttpResponse<String> send(String method, String path, String contentType, String body, boolean credentials)
            throws Exception {
        return send(method, path, contentType, body, credentials, null);
    }

    HttpResponse<String> send(String method, String path, String contentType, String body, boolean credentials,
                              String accept) throws Exception {
        HttpRequest.Builder builder = api.request(method, path, contentType, body, accept);
        if (credentials) {
            builder.header("Authorization", api.authorization());
        }
        return api.send(builder);
    }

    /** The error in PRODUCT.md §5's format, with the headers every /v2 answer must have; returns the error. */
    JsonNode assertJsonError(HttpResponse<String> response, int status, String code) throws Exception {
        String request = response.request().method() + " " + response.request().uri().getPath();
        assertThat(response.statusCode()).as("status of %s, body %s", request, response.body()).isEqualTo(status);
        assertJsonResponseHeaders(response);
        JsonNode errors = json.readTree(response.body()).path("errors");
        assertThat(errors.size()).as("errors of %s: %s", request, response.body()).isEqualTo(1);
        assertThat(errors.get(0).path("code").asText()).as(request).isEqualTo(code);
        assertThat(errors.get(0).path("message").asText()).as(request).isNotBlank();
        return errors.get(0);
    }

    static void assertJsonResponseHeaders(HttpResponse<String> response) {
        String request = response.request().method() + " " + response.request().uri().getPath();
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type of %s", request)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().allValues("Set-Cookie")).as("Set-Cookie of %s", request).isEmpty();
        assertThat(response.headers().firstValue("Location")).as("Location of %s", request).isEmpty();
    }
}
