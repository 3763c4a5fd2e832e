package org.openaudience.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Ingestion that fails midway writes nothing; a low rate limit answers 429 with Retry-After. */
@IntegrationTest
@AutoConfigureMockMvc
@TestPropertySource(properties = "openaudience.ingest.rate-limit-batches-per-second=5")
class IngestFailureTest {

    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MockMvc mvc;
    @Autowired
    IngestFixtures fixtures;

    IngestFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = fixtures.create();
    }

    @AfterEach
    void dropCrashTrigger() {
        fixtures.dropTrigger("crash_on_catalog");
    }

    /**
     * The database fails the last statement of the request (the catalog upsert, after journal, profiles and events
     * were written), as a crash or a full disk would: nothing of the request remains.
     */
    @Test
    void a_failure_after_the_batches_were_written_leaves_none_of_the_request() {
        fixtures.failCatalogInsert("crash_on_catalog", "Crash Here", "simulated crash");
        String bulk = IntStream.range(0, 5).mapToObj(i -> EventsApiTest.PLAY_VIDEO.formatted("c-crash-" + i)
                        .replace("Play Video", i == 4 ? "Crash Here" : "Play Video"))
                .collect(Collectors.joining(",", "[", "]"));
        var batches = parser.parseBulk(bulk.getBytes(StandardCharsets.UTF_8), "web", Instant.now());

        assertThatThrownBy(() -> ingestion.ingest(fixture.input, batches)).hasMessageContaining("simulated crash");
        assertThat(fixture.written()).isZero();

        dropCrashTrigger();
        ingestion.ingest(fixture.input, batches);
        assertThat(fixture.count("ingest_batch")).isEqualTo(5);
        assertThat(fixture.count("event")).isEqualTo(5);
        assertThat(fixture.count("profile")).isEqualTo(5);
    }

    @Test
    void over_the_rate_limit_the_api_answers_429_with_retry_after_and_writes_nothing() throws Exception {
        String bulk = "[" + String.join(",", Collections.nCopies(5, EventsApiTest.PLAY_VIDEO.formatted("c-rate")))
                + "]";
        mvc.perform(fixture.post("/v2/bulkevents", bulk)).andExpect(status().isAccepted());
        long written = fixture.written();
        mvc.perform(fixture.post("/v2/events", EventsApiTest.PLAY_VIDEO.formatted("c-rate")))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.errors[0].code").value("TOO_MANY_REQUESTS"));
        assertThat(fixture.written()).isEqualTo(written);
    }
}
