package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.input.InputService;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The Events API's answers per PRODUCT.md §5, and that a refused request writes nothing. */
@IntegrationTest
@AutoConfigureMockMvc
class EventsApiTest {

    static final String PLAY_VIDEO = """
            {"environment":"development","user_identities":{"customer_id":"%s"},
             "user_attributes":{"status":"Premium"},
             "events":[{"event_type":"custom_event","data":{"event_name":"Play Video","custom_event_type":"media",
                        "custom_attributes":{"destination":"Paris"}}}]}""";

    @Autowired
    MockMvc mvc;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    InputService inputs;
    @Autowired
    JdbcClient jdbc;

    IngestFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = fixtures.create();
    }

    ResultActions send(String path, String body) throws Exception {
        return mvc.perform(fixture.post(path, body));
    }

    void assertRefused(ResultActions result, int status, String code, String messagePart) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(jsonPath("$.errors[0].code").value(code))
                .andExpect(jsonPath("$.errors[0].message").value(containsString(messagePart)));
        assertThat(fixture.written()).as("rows written by a refused request").isZero();
    }

    @Test
    void a_valid_batch_is_accepted_with_202_and_stored() throws Exception {
        send("/v2/events", PLAY_VIDEO.formatted("c-1")).andExpect(status().isAccepted());
        assertThat(fixture.count("event")).isEqualTo(1);
        assertThat(fixture.count("profile")).isEqualTo(1);
        assertThat(fixture.count("ingest_batch")).isEqualTo(1);
        assertThat(fixture.count("catalog_event")).isEqualTo(1);
    }

    @Test
    void malformed_json_is_refused_with_400() throws Exception {
        assertRefused(send("/v2/events", "{\"events\": [ {"), 400, "BAD_REQUEST", "Malformed JSON at line 1");
        send("/v2/events", "{\"events\": [ {").andExpect(jsonPath("$.errors[0].message").value(
                org.hamcrest.Matchers.not(containsString("Source"))));
    }

    @Test
    void other_methods_answer_405_in_the_api_error_format() throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/v2/events")
                        .with(httpBasic(fixture.credentials.apiKey(), fixture.credentials.secret())))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(jsonPath("$.errors[0].code").value("METHOD_NOT_ALLOWED"));
    }

    @Test
    void a_missing_event_type_is_refused_naming_the_field() throws Exception {
        assertRefused(send("/v2/events", "{\"events\":[{\"data\":{}}]}"), 400, "BAD_REQUEST", "events[0].event_type");
    }

    @Test
    void an_unknown_event_type_is_refused() throws Exception {
        assertRefused(send("/v2/events", "{\"events\":[{\"event_type\":\"teleport\",\"data\":{}}]}"), 400,
                "BAD_REQUEST", "\"teleport\" is not a known event type");
    }

    @Test
    void a_custom_event_without_event_name_is_refused() throws Exception {
        assertRefused(send("/v2/events", "{\"events\":[{\"event_type\":\"custom_event\",\"data\":{}}]}"), 400,
                "BAD_REQUEST", "events[0].data.event_name");
    }

    @Test
    void more_than_100_attributes_are_refused() throws Exception {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            attributes.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"v\"");
        }
        assertRefused(send("/v2/events", "{\"events\":[{\"event_type\":\"custom_event\",\"data\":{\"event_name\":"
                + "\"x\",\"custom_attributes\":{" + attributes + "}}}]}"), 400, "BAD_REQUEST", "custom_attributes");
    }

    @Test
    void a_bulk_request_of_more_than_100_batches_is_refused() throws Exception {
        String bulk = "[" + String.join(",", Collections.nCopies(101, PLAY_VIDEO.formatted("c-bulk"))) + "]";
        assertRefused(send("/v2/bulkevents", bulk), 400, "BAD_REQUEST", "at most 100 batches");
    }

    @Test
    void one_invalid_batch_refuses_the_whole_bulk_request() throws Exception {
        String bulk = "[" + PLAY_VIDEO.formatted("c-ok") + ",{\"events\":[{\"event_type\":\"screen_view\","
                + "\"data\":{}}]}]";
        assertRefused(send("/v2/bulkevents", bulk), 400, "BAD_REQUEST", "[1].events[0].data.screen_name");
    }

    @Test
    void a_request_over_256_kb_is_refused_with_413() throws Exception {
        String big = "{\"events\":[],\"user_attributes\":{\"padding\":\"" + "x".repeat(270_000) + "\"}}";
        assertRefused(send("/v2/events", big), 413, "REQUEST_TOO_LARGE", "256 KB");
    }

    @Test
    void missing_credentials_answer_401_and_wrong_ones_403() throws Exception {
        assertRefused(mvc.perform(post("/v2/events").contentType(MediaType.APPLICATION_JSON)
                .content(PLAY_VIDEO.formatted("c-1"))), 401, "UNAUTHORIZED", "HTTP Basic");
        mvc.perform(post("/v2/events").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                        .string("WWW-Authenticate", containsString("Basic")));
        assertRefused(mvc.perform(post("/v2/events").contentType(MediaType.APPLICATION_JSON)
                        .content(PLAY_VIDEO.formatted("c-1"))
                        .with(httpBasic(fixture.credentials.apiKey(), "not-the-secret"))), 403, "FORBIDDEN",
                "not valid");
    }

    @Test
    void a_disabled_input_is_refused_with_403() throws Exception {
        fixtures.members().asAdmin(() -> inputs.setEnabled(fixture.input.id(), false));
        assertRefused(send("/v2/events", PLAY_VIDEO.formatted("c-1")), 403, "FORBIDDEN", "disabled");
    }

    @Test
    void a_repeated_source_request_id_is_acknowledged_and_ignored() throws Exception {
        String batch = "{\"source_request_id\":\"req-42\"," + PLAY_VIDEO.formatted("c-dup").substring(1);
        send("/v2/events", batch).andExpect(status().isAccepted());
        send("/v2/events", batch).andExpect(status().isAccepted());
        send("/v2/bulkevents", "[" + batch + "," + batch + "]").andExpect(status().isAccepted());
        assertThat(fixture.count("ingest_batch")).isEqualTo(1);
        assertThat(fixture.count("event")).isEqualTo(1);
    }

    @Test
    void concurrent_resends_of_one_source_request_id_are_all_acknowledged_and_stored_once() throws Exception {
        String batch = "{\"source_request_id\":\"race-1\"," + PLAY_VIDEO.formatted("c-race").substring(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(pool.submit(() -> {
                start.await();
                return send("/v2/events", batch).andReturn().getResponse().getStatus();
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<Integer> status : statuses) {
            assertThat(status.get()).isEqualTo(202);
        }
        pool.shutdown();
        assertThat(fixture.count("ingest_batch")).isEqualTo(1);
        assertThat(fixture.count("event")).isEqualTo(1);
    }

    @Test
    void each_batch_is_kept_exactly_as_sent_unknown_fields_spacing_and_escapes_included() throws Exception {
        String first = "{ \"user_identities\" : {\"customer_id\":\"raw-1\"}, \"note\":\"caf\\u00e9 ☕ 😀\", "
                + "\"amount\": 1.50 }";
        String second = "{\"user_identities\":{\"customer_id\":\"raw-2\"},\"unknown\":[1, 2,\n 3]}";
        send("/v2/bulkevents", "[ " + first + " ,\n" + second + "\n]").andExpect(status().isAccepted());
        String single = first.replace("raw-1", "raw-3");
        send("/v2/events", "\n  " + single + "  \n").andExpect(status().isAccepted());
        assertThat(jdbc.sql("SELECT raw_json FROM ingest_batch WHERE workspace_id = ? ORDER BY id")
                .param(fixture.workspace.id()).query(String.class).list()).containsExactly(first, second, single);
    }

    @Test
    void a_bulk_request_stores_every_batch() throws Exception {
        String bulk = "[" + PLAY_VIDEO.formatted("c-a") + "," + PLAY_VIDEO.formatted("c-b") + ","
                + PLAY_VIDEO.formatted("c-a") + "]";
        send("/v2/bulkevents", bulk).andExpect(status().isAccepted());
        assertThat(fixture.count("event")).isEqualTo(3);
        assertThat(fixture.count("profile")).isEqualTo(2);
        assertThat(jdbc.sql("SELECT event_count FROM catalog_event WHERE workspace_id = ? AND event_key = 'Play Video'")
                .param(fixture.workspace.id()).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void every_event_type_is_accepted() throws Exception {
        String events = String.join(",",
                "{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Search\",\"custom_event_type\":\"search\"}}",
                "{\"event_type\":\"screen_view\",\"data\":{\"screen_name\":\"Home\"}}",
                "{\"event_type\":\"commerce_event\",\"data\":{\"product_action\":{\"action\":\"add_to_cart\","
                        + "\"products\":[{\"name\":\"Hotel\",\"price\":99}]}}}",
                "{\"event_type\":\"commerce_event\",\"data\":{\"promotion_action\":{\"action\":\"view\"}}}",
                "{\"event_type\":\"session_start\",\"data\":{}}",
                "{\"event_type\":\"session_end\",\"data\":{\"session_duration_ms\":1000}}",
                "{\"event_type\":\"crash_report\",\"data\":{\"message\":\"boom\"}}",
                "{\"event_type\":\"opt_out\",\"data\":{\"is_opted_out\":true}}",
                "{\"event_type\":\"application_state_transition\",\"data\":{\"application_transition_type\":"
                        + "\"application_initialized\",\"is_first_run\":true}}",
                "{\"event_type\":\"user_attribute_change\",\"data\":{\"user_attribute_name\":\"plan\",\"new\":\"gold\"}}",
                "{\"event_type\":\"user_identity_change\",\"data\":{\"new\":{\"identity_type\":\"other\","
                        + "\"identity\":\"o-1\"}}}",
                "{\"event_type\":\"uninstall\",\"data\":{}}",
                "{\"event_type\":\"push_registration\",\"data\":{\"register\":true}}",
                "{\"event_type\":\"push_message\",\"data\":{\"push_message_token\":\"t\"}}",
                "{\"event_type\":\"network_performance\",\"data\":{\"url\":\"https://x\"}}",
                "{\"event_type\":\"breadcrumb\",\"data\":{\"label\":\"step\"}}",
                "{\"event_type\":\"first_run\",\"data\":{}}",
                "{\"event_type\":\"profile\",\"data\":{\"profile_event_type\":\"signup\"}}");
        send("/v2/events", "{\"mpid\":123456789,\"events\":[" + events + "]}").andExpect(status().isAccepted());
        assertThat(fixture.count("event")).isEqualTo(18);
        assertThat(jdbc.sql("SELECT event_key FROM event WHERE workspace_id = ? AND event_type = 'commerce_event'"
                        + " ORDER BY id").param(fixture.workspace.id()).query(String.class).list())
                .containsExactly("add_to_cart", "promotion_view");
        assertThat(fixture.profileColumn(123456789L, "user_attributes")).contains("\"plan\":\"gold\"");
        assertThat(fixture.mpidOf("other", "o-1")).isEqualTo(123456789L);
    }
}
