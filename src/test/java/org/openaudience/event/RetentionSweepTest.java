package org.openaudience.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.testsupport.ClosingApp;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class RetentionSweepTest {

    @Autowired
    RetentionSweep sweep;
    @Autowired
    EventStore eventStore;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    MutableClock clock;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void events_older_than_the_retention_window_are_removed_in_chunks_and_newer_ones_stay() {
        IngestFixture fixture = fixtures.create();
        Instant now = clock.instant();
        StringBuilder events = new StringBuilder();
        int old = RetentionSweep.CHUNK + 7;
        for (int i = 0; i < old + 3; i++) {
            long time = (i < old ? now.minus(Duration.ofDays(91)) : now.minus(Duration.ofDays(89))).toEpochMilli();
            // keys of two types, several of one type: the sweep finds each key with index seeks
            String event = switch (i % 4) {
                case 0 -> "{\"event_type\":\"session_start\",\"data\":{";
                case 1 -> "{\"event_type\":\"session_end\",\"data\":{";
                default -> "{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Step " + (i % 4)
                        + "\",";
            };
            events.append(i == 0 ? "" : ",").append(event).append("\"timestamp_unixtime_ms\":").append(time)
                    .append("}}");
        }
        ingestion.ingest(fixture.input, parser.parseSingle(("{\"mpid\":7,\"events\":[" + events + "]}")
                .getBytes(StandardCharsets.UTF_8), "web", now));

        assertThat(eventStore.eventKeys(fixture.workspace.id())).extracting(key -> key[0] + "/" + key[1])
                .as("folded by the text rule, as the key index holds them")
                .containsExactly("custom_event/step 2", "custom_event/step 3", "session_end/session_end",
                        "session_start/session_start");
        assertThat(sweep.sweepWorkspace(fixture.workspace.id(), Duration.ofDays(90))).isEqualTo(old);
        assertThat(fixture.count("event")).isEqualTo(3);
        assertThat(fixture.count("ingest_batch")).as("the batch arrived now: kept").isEqualTo(1);

        clock.advance(Duration.ofDays(91));
        sweep.sweepWorkspace(fixture.workspace.id(), Duration.ofDays(90));
        assertThat(fixture.count("event")).isZero();
        assertThat(fixture.count("ingest_batch")).isZero();
    }

    @Test
    void a_sweep_started_while_the_app_closes_removes_nothing_and_leaves_the_work_to_the_next_one() {
        IngestFixture fixture = fixtures.create();
        Instant now = clock.instant();
        long old = now.minus(Duration.ofDays(91)).toEpochMilli();
        ingestion.ingest(fixture.input, parser.parseSingle(("{\"mpid\":8,\"events\":[{\"event_type\":"
                + "\"session_start\",\"data\":{\"timestamp_unixtime_ms\":" + old + "}}]}")
                .getBytes(StandardCharsets.UTF_8), "web", now));

        assertThat(new RetentionSweep(jdbc, eventStore, clock, ClosingApp.INSTANCE)
                .sweepWorkspace(fixture.workspace.id(), Duration.ofDays(90))).isZero();
        assertThat(fixture.count("event")).isEqualTo(1);

        assertThat(sweep.sweepWorkspace(fixture.workspace.id(), Duration.ofDays(90))).isEqualTo(1);
        assertThat(fixture.count("event")).isZero();
    }
}
