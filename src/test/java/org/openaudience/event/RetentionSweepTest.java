package org.openaudience.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import org.springframework.transaction.PlatformTransactionManager;

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
    @Autowired
    PlatformTransactionManager transactionManager;

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

        assertThat(new RetentionSweep(jdbc, eventStore, clock, ClosingApp.INSTANCE, transactionManager)
                .sweepWorkspace(fixture.workspace.id(), Duration.ofDays(90))).isZero();
        assertThat(fixture.count("event")).isEqualTo(1);

        assertThat(sweep.sweepWorkspace(fixture.workspace.id(), Duration.ofDays(90))).isEqualTo(1);
        assertThat(fixture.count("event")).isZero();
    }

    @Test
    void a_chunk_that_deletes_nothing_does_not_hold_up_a_request_adding_an_event_of_its_key() throws Exception {
        IngestFixture fixture = fixtures.create();
        Instant now = clock.instant();
        sessionStart(fixture, 7, now.minus(Duration.ofDays(1)));
        ExecutorService request = Executors.newSingleThreadExecutor();
        try {
            RetentionSweep.chunkTransactions(transactionManager).executeWithoutResult(chunk -> {
                // the chunk scans the key's one event, newer than the cutoff, over every MPID
                assertThat(eventStore.deleteOlderThan(fixture.workspace.id(), "session_start", "session_start",
                        Long.MIN_VALUE, Long.MAX_VALUE, now.minus(Duration.ofDays(90)), RetentionSweep.CHUNK))
                        .isZero();
                // before it commits, a request adds an event of the same key (REPEATABLE READ would lock it out
                // for innodb_lock_wait_timeout, 50 s)
                Future<?> adding = request.submit(() -> sessionStart(fixture, 9, now));
                try {
                    adding.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("the request waited for the retention chunk", e);
                }
            });
        } finally {
            request.shutdownNow();
        }
        assertThat(fixture.count("event")).isEqualTo(2);
    }

    private void sessionStart(IngestFixture fixture, long mpid, Instant time) {
        ingestion.ingest(fixture.input, parser.parseSingle(("{\"mpid\":" + mpid + ",\"events\":[{\"event_type\":"
                + "\"session_start\",\"data\":{\"timestamp_unixtime_ms\":" + time.toEpochMilli() + "}}]}")
                .getBytes(StandardCharsets.UTF_8), "web", clock.instant()));
    }
}
